-- One customer per legal entity in an organization: the 统一社会信用代码 (unified social credit code, GB 32100-2015)
-- names the entity, so a second customer with the same code is refused (issue 4: holds must not leak). Without it a
-- customer on credit hold could be entered again under another customer code and be invoiced as new. Codes compare
-- trimmed and case-blind (they are upper-case letters and digits); customers without one are not constrained.
CREATE UNIQUE INDEX customers_unified_credit_key
  ON customers (tenant_id, (upper(btrim(unified_credit_code))))
  WHERE btrim(unified_credit_code) <> '';

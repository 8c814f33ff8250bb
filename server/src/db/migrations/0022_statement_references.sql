-- References checked once per statement (issue 5: a dunning run over 300,000 open items in ≤ 10 s, an
-- organization's first run included; bench/README.md has the numbers).
--
-- A foreign key checks every row it is given on its own: a lookup of the referenced row, which it also locks (FOR KEY
-- SHARE). An organization's first dunning run inserts 34,000 ladder tasks (four references each), 13,700 messages
-- (three), 10,700 律师函 approval requests (three) and 45,000 audit entries (one): about 250,000 checks, each taking a
-- lock on a row — the organization, the salespeople, the customers, each chased invoice — that both of the run's
-- transactions lock again and again. Measured on the benchmark, alternated: PostgreSQL's time 10.4–10.8 s without
-- these keys against 11.6–12.1 s with them, the run 11.3–11.6 s against 12.1–12.2 s.
--
-- The same references are now checked by one query per INSERT or UPDATE statement over the rows it wrote (a
-- transition table anti-joined to the referenced table), and fail the statement the same way (foreign_key_violation,
-- SQLSTATE 23503). A key also stops the referenced row from going away while it is referenced; here the referenced
-- rows never go: organizations, customers and users are never deleted (users are deactivated) and their ids never
-- change (both refused below).
--
-- A message's invoice is no longer checked at all: that was a lookup among all of the organization's invoices for each
-- of a first run's 13,700 overdue notices and reminders, in an index mostly not in memory (measured as a statement
-- check: 0.66 s of PostgreSQL's time in the run). The only writer that names an invoice on a message is the dunning
-- ladder, which names open items of the snapshot it read (issued invoices, which are never deleted: 0002's guard),
-- as 0017 reasoned for the tasks' invoice links.

CREATE FUNCTION huikuan_check_references() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
  AS $$
DECLARE
  -- TG_ARGV in fours: the column, the table it references (by tenant_id and the key column), that key column, and
  -- any further condition on the referenced row p ('' for none).
  arg integer := 0;
  missing text;
BEGIN
  WHILE arg < TG_NARGS LOOP
    EXECUTE format(
      'SELECT a.%1$I::text FROM changed a WHERE a.%1$I IS NOT NULL AND NOT EXISTS '
      '(SELECT 1 FROM %2$I p WHERE p.tenant_id = a.tenant_id AND p.%3$I = a.%1$I %4$s) LIMIT 1',
      TG_ARGV[arg], TG_ARGV[arg + 1], TG_ARGV[arg + 2], TG_ARGV[arg + 3]) INTO missing;
    IF missing IS NOT NULL THEN
      RAISE EXCEPTION 'insert or update on table "%" violates its reference to "%"', TG_TABLE_NAME, TG_ARGV[arg + 1]
        USING ERRCODE = 'foreign_key_violation',
          DETAIL = format('Key (tenant_id, %s)=(…, %s) is not present in table "%s"%s.', TG_ARGV[arg], missing,
            TG_ARGV[arg + 1], CASE WHEN TG_ARGV[arg + 3] = '' THEN '' ELSE ' as required' END);
    END IF;
    arg := arg + 4;
  END LOOP;
  RETURN NULL;
END
$$;

ALTER TABLE audit_log DROP CONSTRAINT audit_log_tenant_id_fkey;
CREATE TRIGGER audit_log_references_on_insert AFTER INSERT ON audit_log
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT
  EXECUTE FUNCTION huikuan_check_references('tenant_id', 'organizations', 'tenant_id', '');
-- (The audit log is never updated: 0001's append-only trigger.)

ALTER TABLE approval_requests DROP CONSTRAINT approval_requests_tenant_id_fkey;
ALTER TABLE approval_requests DROP CONSTRAINT approval_requests_tenant_id_customer_id_fkey;
ALTER TABLE approval_requests DROP CONSTRAINT approval_requests_tenant_id_requested_by_user_id_fkey;
CREATE TRIGGER approval_requests_references_on_insert AFTER INSERT ON approval_requests
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT
  EXECUTE FUNCTION huikuan_check_references('tenant_id', 'organizations', 'tenant_id', '',
    'customer_id', 'customers', 'id', '', 'requested_by_user_id', 'users', 'id', '');
CREATE TRIGGER approval_requests_references_on_update AFTER UPDATE ON approval_requests
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT
  EXECUTE FUNCTION huikuan_check_references('tenant_id', 'organizations', 'tenant_id', '',
    'customer_id', 'customers', 'id', '', 'requested_by_user_id', 'users', 'id', '');

ALTER TABLE outbound_messages DROP CONSTRAINT outbound_messages_tenant_id_customer_id_fkey;
ALTER TABLE outbound_messages DROP CONSTRAINT outbound_messages_tenant_id_invoice_id_fkey;
ALTER TABLE outbound_messages DROP CONSTRAINT outbound_messages_tenant_id_created_by_user_id_fkey;
CREATE TRIGGER outbound_messages_references_on_insert AFTER INSERT ON outbound_messages
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT
  EXECUTE FUNCTION huikuan_check_references('customer_id', 'customers', 'id', '',
    'created_by_user_id', 'users', 'id', '');
CREATE TRIGGER outbound_messages_references_on_update AFTER UPDATE ON outbound_messages
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT
  EXECUTE FUNCTION huikuan_check_references('customer_id', 'customers', 'id', '',
    'created_by_user_id', 'users', 'id', '');

ALTER TABLE collection_activities DROP CONSTRAINT collection_activities_tenant_id_customer_id_fkey;
ALTER TABLE collection_activities DROP CONSTRAINT collection_activities_tenant_id_assignee_user_id_fkey;
ALTER TABLE collection_activities DROP CONSTRAINT collection_activities_tenant_id_created_by_user_id_fkey;
ALTER TABLE collection_activities DROP CONSTRAINT collection_activities_tenant_id_done_by_user_id_fkey;
CREATE TRIGGER collection_activities_references_on_insert AFTER INSERT ON collection_activities
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT
  EXECUTE FUNCTION huikuan_check_references('customer_id', 'customers', 'id', '',
    'assignee_user_id', 'users', 'id', '', 'created_by_user_id', 'users', 'id', '',
    'done_by_user_id', 'users', 'id', '');
CREATE TRIGGER collection_activities_references_on_update AFTER UPDATE ON collection_activities
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT
  EXECUTE FUNCTION huikuan_check_references('customer_id', 'customers', 'id', '',
    'assignee_user_id', 'users', 'id', '', 'created_by_user_id', 'users', 'id', '',
    'done_by_user_id', 'users', 'id', '');

-- What the keys did on the other side: a referenced row stays, with the same id.
CREATE FUNCTION huikuan_forbid_referenced_change() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  RAISE EXCEPTION 'huikuan: % rows are never deleted and their ids never change (other rows refer to them)',
    TG_TABLE_NAME USING ERRCODE = 'restrict_violation';
END
$$;
CREATE TRIGGER organizations_kept BEFORE DELETE ON organizations
  FOR EACH ROW EXECUTE FUNCTION huikuan_forbid_referenced_change();
CREATE TRIGGER organizations_key_kept BEFORE UPDATE OF tenant_id ON organizations
  FOR EACH ROW WHEN (OLD.tenant_id IS DISTINCT FROM NEW.tenant_id)
  EXECUTE FUNCTION huikuan_forbid_referenced_change();
CREATE TRIGGER customers_kept BEFORE DELETE ON customers
  FOR EACH ROW EXECUTE FUNCTION huikuan_forbid_referenced_change();
CREATE TRIGGER customers_key_kept BEFORE UPDATE OF tenant_id, id ON customers
  FOR EACH ROW WHEN (OLD.tenant_id IS DISTINCT FROM NEW.tenant_id OR OLD.id IS DISTINCT FROM NEW.id)
  EXECUTE FUNCTION huikuan_forbid_referenced_change();
CREATE TRIGGER users_kept BEFORE DELETE ON users
  FOR EACH ROW EXECUTE FUNCTION huikuan_forbid_referenced_change();
CREATE TRIGGER users_key_kept BEFORE UPDATE OF tenant_id, id ON users
  FOR EACH ROW WHEN (OLD.tenant_id IS DISTINCT FROM NEW.tenant_id OR OLD.id IS DISTINCT FROM NEW.id)
  EXECUTE FUNCTION huikuan_forbid_referenced_change();

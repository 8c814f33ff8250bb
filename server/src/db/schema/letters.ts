import type { ColumnType, Generated } from 'kysely';
import type { CreatedAt, UpdatedAt } from '../schema';

/** Kysely's view of the tables of migration 0013: letterhead and seal, template overrides, the letters archive. */

export type LetterheadsTable = {
  tenant_id: string;
  legal_name: string;
  address: string | null;
  phone: string | null;
  email: string | null;
  tax_id: string | null;
  bank_name: string | null;
  bank_account: string | null;
  signatory: string | null;
  seal_content_type: string | null;
  seal_image: Buffer | Uint8Array | null;
  updated_by_user_id: string | null;
  updated_at: UpdatedAt;
};

export type LetterTemplatesTable = {
  tenant_id: string;
  kind: string;
  locale: string;
  blocks: ColumnType<unknown, string, string>;
  updated_by_user_id: string | null;
  updated_at: UpdatedAt;
};

/** Insert-only: what was generated stays what the archive shows. */
export type LettersTable = {
  tenant_id: string;
  id: Generated<string>;
  kind: string;
  customer_id: string;
  invoice_ids: Generated<string[]>;
  as_of: string;
  period_from: string | null;
  locale: string;
  title: string;
  pdf: Buffer | Uint8Array;
  pdf_sha256: string;
  html: string;
  body_text: string;
  source: string;
  source_key: string;
  dunning_action_id: string | null;
  approval_request_id: string | null;
  message_id: string | null;
  created_by_user_id: string | null;
  created_at: CreatedAt;
};

export type LetterTables = {
  letterheads: LetterheadsTable;
  letter_templates: LetterTemplatesTable;
  letters: LettersTable;
};

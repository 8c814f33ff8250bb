import { z } from 'zod';
import { decimalAmountSchema } from './approvals';
import {
  calendarDateSchema,
  currencySchema,
  instantSchema,
  pageOf,
  pageQuerySchema,
  uuidSchema,
} from './common';

/** Free text of a credit-file field: trimmed, and an empty string means "not known" (null). */
function optionalText(max: number) {
  return z
    .string()
    .trim()
    .max(max)
    .transform((value) => (value === '' ? null : value))
    .nullable()
    .optional();
}

export const customerCodeSchema = z.string().trim().min(1).max(64);
export const customerNameSchema = z.string().trim().min(1).max(200);
export const customerTagSchema = z.string().trim().min(1).max(50);

/** The credit file (信用档案) and the "nine questions" (九问); all optional, all nullable. */
const creditFileFields = {
  shortName: optionalText(100),
  unifiedCreditCode: optionalText(32),
  foundedOn: calendarDateSchema.nullable().optional(),
  registeredAddress: optionalText(500),
  officeAddress: optionalText(500),
  phone: optionalText(50),
  website: optionalText(200),
  legalRepresentative: optionalText(100),
  /** Exact decimal in registeredCapitalCurrency (the customer's currency when omitted). */
  registeredCapital: decimalAmountSchema.nullable().optional(),
  registeredCapitalCurrency: currencySchema.nullable().optional(),
  industry: optionalText(100),
  companySize: optionalText(100),
  financialCondition: optionalText(2000),
  notes: optionalText(5000),
  invoiceRequirements: optionalText(2000),
  booksClosingDay: z.number().int().min(1).max(31).nullable().optional(),
  paymentBank: optionalText(200),
  transferCycleDays: z.number().int().min(0).max(365).nullable().optional(),
  fundsSituation: optionalText(2000),
};

export const createCustomerRequestSchema = z.object({
  code: customerCodeSchema,
  name: customerNameSchema,
  /** Defaults to the creating user when a salesperson or sales manager creates the customer. */
  ownerUserId: uuidSchema.nullable().optional(),
  /** Defaults to the owner's team. */
  teamId: uuidSchema.nullable().optional(),
  segment: optionalText(50),
  tags: z.array(customerTagSchema).max(20).optional(),
  paymentTermsDays: z.number().int().min(0).max(3650).optional(),
  /** Defaults to the organization's base currency. */
  currency: currencySchema.optional(),
  ...creditFileFields,
});
export type CreateCustomerRequest = z.input<typeof createCustomerRequestSchema>;

export const updateCustomerRequestSchema = z.object({
  code: customerCodeSchema.optional(),
  name: customerNameSchema.optional(),
  ownerUserId: uuidSchema.nullable().optional(),
  teamId: uuidSchema.nullable().optional(),
  segment: optionalText(50),
  tags: z.array(customerTagSchema).max(20).optional(),
  paymentTermsDays: z.number().int().min(0).max(3650).optional(),
  currency: currencySchema.optional(),
  /** false deactivates (the customer stays, with everything that refers to it); true reactivates. */
  isActive: z.boolean().optional(),
  ...creditFileFields,
});
export type UpdateCustomerRequest = z.input<typeof updateCustomerRequestSchema>;

export const customerSchema = z.object({
  id: uuidSchema,
  code: z.string(),
  name: z.string(),
  shortName: z.string().nullable(),
  ownerUserId: uuidSchema.nullable(),
  ownerName: z.string().nullable(),
  teamId: uuidSchema.nullable(),
  teamName: z.string().nullable(),
  segment: z.string().nullable(),
  tags: z.array(z.string()),
  paymentTermsDays: z.number().int(),
  currency: z.string(),
  unifiedCreditCode: z.string().nullable(),
  foundedOn: z.string().nullable(),
  registeredAddress: z.string().nullable(),
  officeAddress: z.string().nullable(),
  phone: z.string().nullable(),
  website: z.string().nullable(),
  legalRepresentative: z.string().nullable(),
  registeredCapital: decimalAmountSchema.nullable(),
  registeredCapitalCurrency: z.string().nullable(),
  industry: z.string().nullable(),
  companySize: z.string().nullable(),
  financialCondition: z.string().nullable(),
  notes: z.string().nullable(),
  invoiceRequirements: z.string().nullable(),
  booksClosingDay: z.number().int().nullable(),
  paymentBank: z.string().nullable(),
  transferCycleDays: z.number().int().nullable(),
  fundsSituation: z.string().nullable(),
  isActive: z.boolean(),
  createdAt: instantSchema,
  updatedAt: instantSchema,
});
export type Customer = z.infer<typeof customerSchema>;

export const CUSTOMER_SORTS = ['code', 'name'] as const;
export const customerListQuerySchema = pageQuerySchema.extend({
  /** Matches code, name or short name, case-insensitively. */
  search: z.string().trim().max(100).optional(),
  ownerUserId: uuidSchema.optional(),
  teamId: uuidSchema.optional(),
  segment: z.string().max(50).optional(),
  tag: z.string().max(50).optional(),
  /** 'true' or 'false'; both when omitted. */
  isActive: z
    .enum(['true', 'false'])
    .transform((value) => value === 'true')
    .optional(),
  sort: z.enum(CUSTOMER_SORTS).default('code'),
});
export const customerPageSchema = pageOf(customerSchema);

export const contactParamSchema = z.object({ id: uuidSchema, contactId: uuidSchema });
export const bankAccountParamSchema = z.object({ id: uuidSchema, accountId: uuidSchema });
export const attachmentParamSchema = z.object({ id: uuidSchema, attachmentId: uuidSchema });

/** A contact's roles in the customer's payment process (九问). */
export const CONTACT_ROLES = ['finance_initiator', 'approver', 'key_person', 'acceptor', 'other'] as const;
export const contactRoleSchema = z.enum(CONTACT_ROLES);
export type ContactRole = z.infer<typeof contactRoleSchema>;

const contactFields = {
  title: optionalText(100),
  phone: optionalText(50),
  email: z.email().max(254).nullable().optional(),
  imHandle: optionalText(100),
  notes: optionalText(2000),
};

export const createContactRequestSchema = z.object({
  name: z.string().trim().min(1).max(100),
  roles: z.array(contactRoleSchema).max(5).default([]),
  ...contactFields,
});
export const updateContactRequestSchema = z.object({
  name: z.string().trim().min(1).max(100).optional(),
  roles: z.array(contactRoleSchema).max(5).optional(),
  ...contactFields,
});
export const contactSchema = z.object({
  id: uuidSchema,
  customerId: uuidSchema,
  name: z.string(),
  title: z.string().nullable(),
  phone: z.string().nullable(),
  email: z.string().nullable(),
  imHandle: z.string().nullable(),
  roles: z.array(contactRoleSchema),
  notes: z.string().nullable(),
  createdAt: instantSchema,
  updatedAt: instantSchema,
});
export type Contact = z.infer<typeof contactSchema>;

export const createBankAccountRequestSchema = z.object({
  bankName: z.string().trim().min(1).max(200),
  accountName: z.string().trim().min(1).max(200),
  /** Spaces are dropped ("6222 0202 …" is stored as "62220202…") so bank matching compares like with like. */
  accountNumber: z
    .string()
    .transform((value) => value.replace(/[\s\u3000]+/g, ''))
    .pipe(z.string().min(1).max(64)),
});
export const bankAccountSchema = z.object({
  id: uuidSchema,
  customerId: uuidSchema,
  bankName: z.string(),
  accountName: z.string(),
  accountNumber: z.string(),
  createdAt: instantSchema,
});
export type BankAccount = z.infer<typeof bankAccountSchema>;

export const LITIGATION_PARTY_ROLES = ['plaintiff', 'defendant', 'third_party'] as const;
export const createLitigationRequestSchema = z.object({
  caseNumber: optionalText(100),
  court: optionalText(200),
  filedOn: calendarDateSchema.nullable().optional(),
  partyRole: z.enum(LITIGATION_PARTY_ROLES).nullable().optional(),
  status: optionalText(100),
  summary: z.string().trim().min(1).max(5000),
});
export const litigationSchema = z.object({
  id: uuidSchema,
  customerId: uuidSchema,
  caseNumber: z.string().nullable(),
  court: z.string().nullable(),
  filedOn: z.string().nullable(),
  partyRole: z.enum(LITIGATION_PARTY_ROLES).nullable(),
  status: z.string().nullable(),
  summary: z.string(),
  createdAt: instantSchema,
});
export type Litigation = z.infer<typeof litigationSchema>;

/** Attachments belong to any record (customer, invoice, receipt, claim); the kind says what the file proves. */
export const ATTACHMENT_KINDS = [
  'business_licence',
  'sign_off',
  'contract',
  'remittance',
  'evidence',
  'other',
] as const;
export const attachmentKindSchema = z.enum(ATTACHMENT_KINDS);
export type AttachmentKind = z.infer<typeof attachmentKindSchema>;
/** Decoded size limit of one attachment. */
export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;

export const uploadAttachmentRequestSchema = z.object({
  fileName: z.string().trim().min(1).max(255),
  contentType: z
    .string()
    .trim()
    .max(127)
    .regex(/^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+$/i, 'A media type such as application/pdf')
    .default('application/octet-stream'),
  kind: attachmentKindSchema.default('other'),
  /** The file's bytes, base64-encoded (at most 10 MiB decoded). */
  contentBase64: z.string().max(Math.ceil(MAX_ATTACHMENT_BYTES / 3) * 4 + 16),
});
export type UploadAttachmentRequest = z.input<typeof uploadAttachmentRequestSchema>;

export const attachmentSchema = z.object({
  id: uuidSchema,
  entityType: z.string(),
  entityId: uuidSchema,
  kind: attachmentKindSchema,
  fileName: z.string(),
  contentType: z.string(),
  sizeBytes: z.number().int(),
  sha256: z.string(),
  uploadedByUserId: uuidSchema.nullable(),
  createdAt: instantSchema,
});
export type Attachment = z.infer<typeof attachmentSchema>;

export const contactListSchema = z.object({ items: z.array(contactSchema) });
export const bankAccountListSchema = z.object({ items: z.array(bankAccountSchema) });
export const litigationListSchema = z.object({ items: z.array(litigationSchema) });
export const attachmentListSchema = z.object({ items: z.array(attachmentSchema) });

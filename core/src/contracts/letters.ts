import { z } from 'zod';
import { LETTER_KINDS, unknownPlaceholders } from '../letters';
import { calendarDateSchema, instantSchema, localeSchema, uuidSchema } from './common';

export const letterKindSchema = z.enum(LETTER_KINDS);
export const letterLocaleSchema = localeSchema;

/** A seal image is small: a scanned stamp at print resolution fits comfortably in 512 KB. */
export const MAX_SEAL_BYTES = 512 * 1024;

const blockText = (max: number) => z.string().max(max);

/**
 * An organization's wording for one kind and language. Placeholders are checked here, so the server and the editor
 * refuse the same things: an unknown {{name}} is a 400 naming the block and the placeholder.
 */
export const letterTemplateSchema = z
  .object({
    title: z.string().trim().min(1).max(200),
    salutation: blockText(500),
    paragraphs: z.array(blockText(4000)).min(1).max(30),
    closing: blockText(500),
    signature: blockText(500),
    deadlineDays: z.number().int().min(0).max(365),
  })
  .superRefine((template, context) => {
    for (const { path, name } of unknownPlaceholders(template)) {
      context.addIssue({ code: 'custom', path, message: `Unknown placeholder {{${name}}}` });
    }
  });
export type LetterTemplateInput = z.infer<typeof letterTemplateSchema>;

export const letterTemplateViewSchema = z.object({
  kind: letterKindSchema,
  locale: letterLocaleSchema,
  template: z.object({
    title: z.string(),
    salutation: z.string(),
    paragraphs: z.array(z.string()),
    closing: z.string(),
    signature: z.string(),
    deadlineDays: z.number().int(),
  }),
  /** False while the organization uses the built-in wording. */
  isCustomized: z.boolean(),
  updatedAt: instantSchema.nullable(),
  placeholders: z.array(z.string()),
});
export type LetterTemplateView = z.infer<typeof letterTemplateViewSchema>;
export const letterTemplateListSchema = z.object({ items: z.array(letterTemplateViewSchema) });

export const letterTemplateParamSchema = z.object({ kind: letterKindSchema });
export const letterTemplateQuerySchema = z.object({ locale: letterLocaleSchema });

const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .nullish()
    .transform((value) => (value ? value : null));

/** 信头: who the letters are from and where to pay. */
export const letterheadRequestSchema = z.object({
  legalName: z.string().trim().min(1).max(200),
  address: optionalText(300),
  phone: optionalText(60),
  email: z
    .union([z.email().max(254), z.literal('')])
    .nullish()
    .transform((value) => (value ? value.toLowerCase() : null)),
  taxId: optionalText(40),
  bankName: optionalText(120),
  bankAccount: optionalText(60),
  signatory: optionalText(120),
});
export type LetterheadRequest = z.input<typeof letterheadRequestSchema>;
export type LetterheadInput = z.output<typeof letterheadRequestSchema>;

export const letterheadSchema = z.object({
  legalName: z.string(),
  address: z.string().nullable(),
  phone: z.string().nullable(),
  email: z.string().nullable(),
  taxId: z.string().nullable(),
  bankName: z.string().nullable(),
  bankAccount: z.string().nullable(),
  signatory: z.string().nullable(),
  seal: z
    .object({ contentType: z.enum(['image/png', 'image/jpeg']), sizeBytes: z.number().int() })
    .nullable(),
  /** False until someone saves a letterhead: letters then carry the organization's name only. */
  isConfigured: z.boolean(),
  updatedAt: instantSchema.nullable(),
});
export type Letterhead = z.infer<typeof letterheadSchema>;

export const sealUploadSchema = z.object({
  contentBase64: z
    .string()
    .min(4)
    .max(Math.ceil(MAX_SEAL_BYTES / 3) * 4 + 16)
    .regex(/^[A-Za-z0-9+/]+={0,2}$/, 'Base64-encoded PNG or JPEG bytes'),
});

export const LETTER_SOURCES = ['manual', 'dunning_action', 'approval', 'scheduled_statement'] as const;
export const letterSourceSchema = z.enum(LETTER_SOURCES);

/** What to write: the kind, the language, the date (default today) and, for 对账单, the period's first day. */
export const letterRequestSchema = z
  .object({
    kind: letterKindSchema,
    locale: letterLocaleSchema.default('zh-CN'),
    asOf: calendarDateSchema.optional(),
    /** 对账单 only: the first day of the period (default: the first of asOf's month). */
    periodFrom: calendarDateSchema.optional(),
    /** Only these invoices (default: every open one; overdue ones for 催款函 and 律师函). */
    invoiceIds: z.array(uuidSchema).min(1).max(500).optional(),
    /** Also e-mail the PDF to the customer's contact (through the outbox). */
    isEmailed: z.boolean().default(false),
  })
  .refine((value) => !value.periodFrom || !value.asOf || value.periodFrom <= value.asOf, {
    path: ['periodFrom'],
    message: 'Must be on or before asOf',
  });
export type LetterRequest = z.input<typeof letterRequestSchema>;

export const letterPreviewSchema = z.object({ title: z.string(), html: z.string(), text: z.string() });
export type LetterPreview = z.infer<typeof letterPreviewSchema>;

/** The template editor's preview: unsaved wording over a real customer's figures, or over sample figures. */
export const templatePreviewRequestSchema = z.object({
  kind: letterKindSchema,
  locale: letterLocaleSchema,
  template: letterTemplateSchema,
  customerId: uuidSchema.optional(),
  asOf: calendarDateSchema.optional(),
});
export type TemplatePreviewRequest = z.input<typeof templatePreviewRequestSchema>;

export const letterSchema = z.object({
  id: uuidSchema,
  kind: letterKindSchema,
  customerId: uuidSchema,
  invoiceIds: z.array(uuidSchema),
  asOf: calendarDateSchema,
  periodFrom: calendarDateSchema.nullable(),
  locale: letterLocaleSchema,
  title: z.string(),
  source: letterSourceSchema,
  /** The dunning action, approval request or statement month the letter came from. */
  sourceRef: z.string().nullable(),
  createdByUserId: uuidSchema.nullable(),
  createdAt: instantSchema,
  pdfBytes: z.number().int(),
  /** The outbox message that e-mails it, when one was queued with the letter. */
  messageId: z.string().nullable(),
});
export type Letter = z.infer<typeof letterSchema>;
export const letterListSchema = z.object({ items: z.array(letterSchema) });
export const letterDetailSchema = letterSchema.extend({ html: z.string(), text: z.string() });
export type LetterDetail = z.infer<typeof letterDetailSchema>;

export const statementMonthSchema = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'A month as YYYY-MM');

/** The monthly statements run: who got one, who already had one, who was left out and why. */
export const statementRunSchema = z.object({
  month: statementMonthSchema,
  asOf: calendarDateSchema,
  isDryRun: z.boolean(),
  sent: z.array(z.object({ customerId: uuidSchema, code: z.string(), letterId: uuidSchema.nullable() })),
  skipped: z.array(
    z.object({
      customerId: uuidSchema,
      code: z.string(),
      reason: z.enum(['already_sent']),
    }),
  ),
});
export type StatementRun = z.infer<typeof statementRunSchema>;

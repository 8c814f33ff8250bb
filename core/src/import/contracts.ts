import { z } from 'zod';
import { isSupportedCurrency } from '../money';
import { isValidDateFormat } from './dates';
import { IMPORT_KINDS } from './mapping';

/**
 * HTTP contracts of the import endpoints (POST /api/imports/{kind}/dry-run and /commit). The file travels as
 * base64 inside JSON, so the same body works from the web app and from scripts.
 */
export const importKindParamSchema = z.object({ kind: z.enum(IMPORT_KINDS) });

export const columnMappingSchema = z.record(z.string().min(1).max(64), z.string().min(1).max(200));

export const importRequestSchema = z.object({
  fileName: z.string().min(1).max(255),
  contentBase64: z
    .string()
    .min(1)
    .regex(/^[A-Za-z0-9+/\s]*={0,2}\s*$/, 'Expected base64'),
  format: z.enum(['csv', 'xlsx']).optional(),
  encoding: z.enum(['auto', 'utf-8', 'gbk', 'gb18030']).optional(),
  mapping: columnMappingSchema.optional(),
  dateFormat: z
    .string()
    .refine(isValidDateFormat, 'A date format needs YYYY, MM (or M) and DD (or D)')
    .optional(),
  currency: z.string().refine(isSupportedCurrency, 'Unsupported currency code').optional(),
  decimalSeparator: z.enum(['.', ',']).optional(),
  delimiter: z.enum([',', ';', '\t']).optional(),
});
export type ImportRequestBody = z.infer<typeof importRequestSchema>;

export const importIssueSchema = z.object({
  row: z.number().int(),
  line: z.number().int(),
  column: z.string(),
  message: z.string(),
});

export const importResultSchema = z.object({
  summary: z.object({
    kind: z.enum(IMPORT_KINDS),
    fileName: z.string(),
    rows: z.number().int(),
    newCustomers: z.number().int(),
    invoices: z.number().int(),
    receipts: z.number().int(),
    allocations: z.number().int(),
    /** Present for contract imports only. */
    contracts: z.number().int().optional(),
    planNodes: z.number().int().optional(),
    totals: z.array(z.object({ currency: z.string(), amount: z.string(), settledAmount: z.string() })),
    isCommitted: z.boolean(),
  }),
  errors: z.array(importIssueSchema),
});

export const importSummarySchema = importResultSchema.shape.summary;

/** Options a preset (and a preview) carries besides the mapping. */
const fileOptionsShape = {
  encoding: z.enum(['auto', 'utf-8', 'gbk', 'gb18030']),
  dateFormat: z.string().refine(isValidDateFormat, 'A date format needs YYYY, MM (or M) and DD (or D)'),
  decimalSeparator: z.enum(['.', ',']),
};

/** A saved column mapping (导入模板) for one kind; names are unique per organization and kind. */
export const importPresetSchema = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.enum(IMPORT_KINDS),
  mapping: columnMappingSchema,
  ...fileOptionsShape,
  createdByUserId: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type ImportPreset = z.infer<typeof importPresetSchema>;

export const createImportPresetSchema = z.object({
  name: z.string().trim().min(1).max(100),
  kind: z.enum(IMPORT_KINDS),
  mapping: columnMappingSchema,
  encoding: fileOptionsShape.encoding.default('auto'),
  dateFormat: fileOptionsShape.dateFormat.default('YYYY-MM-DD'),
  decimalSeparator: fileOptionsShape.decimalSeparator.default('.'),
});
export type CreateImportPresetBody = z.input<typeof createImportPresetSchema>;

export const updateImportPresetSchema = z
  .object({
    name: z.string().trim().min(1).max(100),
    mapping: columnMappingSchema,
    ...fileOptionsShape,
  })
  .partial();
export type UpdateImportPresetBody = z.infer<typeof updateImportPresetSchema>;

export const importPresetListQuerySchema = z.object({ kind: z.enum(IMPORT_KINDS).optional() });
export const importPresetListSchema = z.object({ items: z.array(importPresetSchema) });

/** What a file looks like before any mapping is chosen: enough for a mapping editor. */
export const importPreviewSchema = z.object({
  format: z.enum(['csv', 'xlsx']),
  /** The encoding the text was read in ('utf-8' or 'gb18030' when detected); null for XLSX. */
  encoding: z.enum(['utf-8', 'gbk', 'gb18030']).nullable(),
  headers: z.array(z.string()),
  headerLine: z.number().int(),
  rowCount: z.number().int(),
  /** Field → column header, from the header names (and the request's mapping, when it gives one). */
  mapping: columnMappingSchema,
  fields: z.array(z.object({ name: z.string(), isRequired: z.boolean() })),
  /** The first 20 data rows as text, cells in header order. */
  rows: z.array(z.object({ line: z.number().int(), cells: z.array(z.string()) })),
  errors: z.array(importIssueSchema),
});
export type ImportPreview = z.infer<typeof importPreviewSchema>;

export const importJobRequestSchema = importRequestSchema.extend({ isDryRun: z.boolean() });
export type ImportJobRequestBody = z.infer<typeof importJobRequestSchema>;

export const IMPORT_JOB_STATUSES = ['queued', 'running', 'succeeded', 'failed'] as const;
export type ImportJobStatus = (typeof IMPORT_JOB_STATUSES)[number];

export const importJobSchema = z.object({
  id: z.string(),
  kind: z.enum(IMPORT_KINDS),
  fileName: z.string(),
  isDryRun: z.boolean(),
  /** succeeded: the run finished (a dry run may still list errors); failed: it could not run, see `failure`. */
  status: z.enum(IMPORT_JOB_STATUSES),
  phase: z.enum(['parse', 'validate', 'write']).nullable(),
  done: z.number().int(),
  total: z.number().int(),
  summary: importSummarySchema.nullable(),
  /** The first 1,000 errors, in file order; `errorCount` counts them all. */
  errors: z.array(importIssueSchema),
  errorCount: z.number().int(),
  failure: z.string().nullable(),
  createdByUserId: z.string().nullable(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
});
export type ImportJob = z.infer<typeof importJobSchema>;

export const importJobCreatedSchema = z.object({ jobId: z.string() });
/** The list leaves the errors out; open one job for them. */
export const importJobListSchema = z.object({ items: z.array(importJobSchema.omit({ errors: true })) });
export type ImportJobListItem = z.infer<typeof importJobListSchema>['items'][number];

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
    totals: z.array(z.object({ currency: z.string(), amount: z.string(), settledAmount: z.string() })),
    isCommitted: z.boolean(),
  }),
  errors: z.array(importIssueSchema),
});

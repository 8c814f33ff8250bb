import { z } from 'zod';
import { isCalendarDate } from '../calendar-date';
import { isSupportedCurrency } from '../money';
import { isValidTimeZone } from '../calendar-date';
import { LOCALES } from '../errors';

export const uuidSchema = z.uuid();
export const calendarDateSchema = z.string().refine(isCalendarDate, 'Expected a date as YYYY-MM-DD');
export const currencySchema = z.string().refine(isSupportedCurrency, 'Unsupported currency code');
export const timeZoneSchema = z.string().refine(isValidTimeZone, 'Unknown IANA time zone');
export const localeSchema = z.enum(LOCALES);
export const instantSchema = z.string().describe('ISO 8601 instant in UTC');
export const emailSchema = z
  .email()
  .max(254)
  .transform((value) => value.toLowerCase());

/** Keyset pagination: the server hands back an opaque cursor for the next page. */
export const pageQuerySchema = z.object({
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() });
}

/** A query-string flag: exactly 'true' or 'false' (z.coerce.boolean would read 'false' as true). */
export const queryBooleanSchema = z
  .enum(['true', 'false'])
  .transform((value) => value === 'true')
  .optional();

export const okSchema = z.object({ ok: z.literal(true) });
export const idParamSchema = z.object({ id: uuidSchema });

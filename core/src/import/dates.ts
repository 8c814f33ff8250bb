import { isCalendarDate, type CalendarDate } from '../calendar-date';

/**
 * Date formats that spreadsheets and Chinese accounting exports use. A format is tokens (YYYY, MM, M, DD, D)
 * and literal text; ISO 'YYYY-MM-DD' is always accepted too, because XLSX date cells arrive already converted.
 */
export const SUPPORTED_DATE_FORMATS = [
  'YYYY-MM-DD',
  'YYYY/MM/DD',
  'YYYY.MM.DD',
  'DD/MM/YYYY',
  'MM/DD/YYYY',
  'DD.MM.YYYY',
  'DD-MM-YYYY',
  'YYYYMMDD',
  'YYYY年M月D日',
] as const;

export type DateFormat = string;

type CompiledFormat = { pattern: RegExp; order: ('year' | 'month' | 'day')[] };

const TOKEN = /YYYY|MM|M|DD|D/g;
const compiled = new Map<string, CompiledFormat>();

function escapeLiteral(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Turns a format into a regular expression. A month or day token next to another token with no literal between
 * (YYYYMMDD) must have exactly two digits, or '2024123' could be read two ways; otherwise one or two digits do.
 */
export function compileDateFormat(format: DateFormat): CompiledFormat | null {
  const cached = compiled.get(format);
  if (cached) return cached;
  const tokens = [...format.matchAll(TOKEN)];
  const order: CompiledFormat['order'] = [];
  let source = '^';
  let last = 0;
  tokens.forEach((match, i) => {
    const start = match.index;
    const end = start + match[0].length;
    source += escapeLiteral(format.slice(last, start));
    const previous = tokens[i - 1];
    const touchesPrevious = previous !== undefined && previous.index + previous[0].length === start;
    const isAdjacent = touchesPrevious || tokens[i + 1]?.index === end;
    if (match[0] === 'YYYY') {
      source += '(\\d{4})';
      order.push('year');
    } else {
      source += isAdjacent ? '(\\d{2})' : '(\\d{1,2})';
      order.push(match[0].startsWith('M') ? 'month' : 'day');
    }
    last = end;
  });
  source += `${escapeLiteral(format.slice(last))}$`;
  const isComplete = ['year', 'month', 'day'].every((part) => order.filter((o) => o === part).length === 1);
  if (!isComplete) return null;
  const result = { pattern: new RegExp(source), order };
  compiled.set(format, result);
  return result;
}

export function isValidDateFormat(format: DateFormat): boolean {
  return compileDateFormat(format) !== null;
}

/** Full-width digits and separators (common in Chinese spreadsheets) read as their ASCII forms. */
function toHalfWidth(text: string): string {
  return text
    .replace(/[\uFF10-\uFF19]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) - 0xff10 + 0x30))
    .replace(/\uFF0F/g, '/')
    .replace(/\uFF0D/g, '-')
    .replace(/\uFF0E/g, '.');
}

/**
 * Parses a date written in `format` (or ISO) into a calendar date, or null when it is not one: 2024-02-30 is
 * rejected, not rolled over into March. A time of day after the date ("2024-03-05 00:00:00") is ignored.
 */
export function parseDateText(input: string, format: DateFormat = 'YYYY-MM-DD'): CalendarDate | null {
  const text = toHalfWidth(input)
    .trim()
    .replace(/[ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$/, '');
  if (isCalendarDate(text)) return text;
  const compiledFormat = compileDateFormat(format);
  if (!compiledFormat) return null;
  const match = compiledFormat.pattern.exec(text);
  if (!match) return null;
  const parts = { year: '', month: '', day: '' };
  compiledFormat.order.forEach((part, i) => {
    parts[part] = match[i + 1] ?? '';
  });
  const iso = `${parts.year}-${parts.month.padStart(2, '0')}-${parts.day.padStart(2, '0')}`;
  return isCalendarDate(iso) ? iso : null;
}

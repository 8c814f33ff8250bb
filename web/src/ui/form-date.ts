import { calendarDateInZone } from '@huikuan/core';
import dayjs, { type Dayjs } from 'dayjs';
import { useOptionalSession } from '../app/session';

/**
 * Form.Item props that let a DatePicker edit a 'YYYY-MM-DD' string field: the form holds the business date as
 * text (what the API takes), the picker sees a Dayjs. A cleared picker stores null ("not known").
 */
export const dateFieldProps = {
  getValueProps: (value: unknown) => ({
    value: typeof value === 'string' && value !== '' ? dayjs(value) : null,
  }),
  normalize: (value: Dayjs | null | undefined) => (value ? value.format('YYYY-MM-DD') : null),
};

/**
 * Today as 'YYYY-MM-DD' in the organization's time zone, where business dates live: a browser in another zone
 * (or just after midnight UTC) must not default a receipt to yesterday.
 */
export function useToday(): string {
  const session = useOptionalSession();
  const zone = session?.organization.timezone ?? 'Asia/Shanghai';
  try {
    return calendarDateInZone(new Date(), zone);
  } catch {
    return dayjs().format('YYYY-MM-DD');
  }
}

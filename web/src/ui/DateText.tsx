import { useLocale } from '../app/locale';
import { useOptionalSession } from '../app/session';
import { formatDateOrInstant } from './date-format';

const DEFAULT_TIME_ZONE = 'Asia/Shanghai';

type DateTextProps = {
  /** An ISO instant or a 'YYYY-MM-DD' business date; null shows a dash. */
  value: string | null | undefined;
  withTime?: boolean;
  /** Defaults to the organization's time zone. */
  timeZone?: string;
  empty?: string;
};

export function DateText({ value, withTime = true, timeZone, empty = '—' }: DateTextProps) {
  const { locale } = useLocale();
  const session = useOptionalSession();
  if (value === null || value === undefined || value === '') return <span>{empty}</span>;
  const zone = timeZone ?? session?.organization.timezone ?? DEFAULT_TIME_ZONE;
  const text = formatDateOrInstant(value, locale, zone, withTime) ?? value;
  return (
    <time dateTime={value} title={value} style={{ whiteSpace: 'nowrap' }}>
      {text}
    </time>
  );
}

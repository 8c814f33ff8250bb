import {
  minorToDecimalString,
  type CalendarDate,
  RECEIVABLE_CLASSES,
  bucketKeys,
  rangeDays,
  type AgingBasis,
  type AgingSettings,
  type ReceivableClass,
} from '@huikuan/core';
import { type AgingDimension } from '@huikuan/core/contracts';
import { sql, type RawBuilder } from 'kysely';
import { todayIn } from '../../platform/clock';
import type { AppDeps } from '../../platform/deps';
import { AppError } from '../../platform/errors';
import { decodeCursor, pageFrom } from '../../platform/pagination';
import { recordScope, type Actor } from '../../platform/request-context';
import { loadAgingContext } from './aging-settings';
import { tuneForReport } from './report-session';
import { baseGroupIdSql, openItemsCte } from './open-items';
import type { ReportFilter } from './report-filter';

export type AgingItemsQuery = {
  asOf?: CalendarDate | undefined;
  by: AgingDimension;
  basis: AgingBasis;
  key: string;
  bucket?: string | undefined;
  cursor?: string | undefined;
  limit: number;
} & ReportFilter;

/** The days-past-due condition of a bucket key or a class key; an unknown key is a 400 naming `bucket`. */
function rangeCondition(bucket: string | undefined, settings: AgingSettings): RawBuilder<boolean> {
  if (bucket === undefined) return sql<boolean>`true`;
  const bucketIndex = bucketKeys(settings.bucketBoundsDays).indexOf(bucket);
  const classIndex = RECEIVABLE_CLASSES.indexOf(bucket as ReceivableClass);
  if (bucketIndex === -1 && classIndex === -1) {
    throw new AppError('validation_failed', {}, [{ path: 'bucket', message: 'Unknown bucket or class' }]);
  }
  const range =
    bucketIndex !== -1
      ? rangeDays(bucketIndex, settings.bucketBoundsDays)
      : rangeDays(classIndex, settings.classBoundsDays);
  const from = range.from === null ? sql<boolean>`true` : sql<boolean>`o.days_past_due >= ${range.from}::int`;
  const to = range.to === null ? sql<boolean>`true` : sql<boolean>`o.days_past_due <= ${range.to}::int`;
  return sql<boolean>`${from} AND ${to}`;
}

type ItemRow = {
  id: string;
  number: string;
  customer_id: string;
  customer_code: string;
  invoice_date: CalendarDate;
  due_date: CalendarDate;
  days_past_due: number;
  currency: string;
  total_minor: bigint;
  open_minor: bigint;
};

/**
 * The open items behind one cell of the aging report, oldest first (days past due descending, then number), one
 * keyset-paged query. A key outside the actor's scope or organization simply matches nothing: it is a filter, and
 * an empty page says no more than a 404 would.
 */
export async function listAgingItems(
  deps: Pick<AppDeps, 'db' | 'clock'>,
  actor: Actor,
  query: AgingItemsQuery,
) {
  const cursor = decodeCursor(query.cursor, 2);
  if (cursor !== null && !/^-?\d{1,9}$/.test(cursor[0] ?? '')) {
    throw new AppError('validation_failed', {}, [{ path: 'cursor', message: 'Malformed cursor' }]);
  }
  return deps.db.tenant(actor.tenantId, async (tx) => {
    const context = await loadAgingContext(tx, actor.tenantId);
    await tuneForReport(tx);
    const asOf = query.asOf ?? todayIn(deps.clock, context.timezone);
    // The group is a condition inside the open items, so only its invoices' credit notes and allocations are read.
    const group = baseGroupIdSql(query.by);
    const groupCondition =
      query.key === 'none' ? sql<boolean>`${group} IS NULL` : sql<boolean>`${group} = ${query.key}`;
    const after =
      cursor === null
        ? sql<boolean>`true`
        : sql<boolean>`(o.days_past_due < ${Number(cursor[0])}::int
            OR (o.days_past_due = ${Number(cursor[0])}::int AND o.number > ${cursor[1]}))`;
    const result = await sql<ItemRow>`
      ${openItemsCte(actor.tenantId, asOf, query.basis, {
        scope: recordScope(actor),
        filter: { teamId: query.teamId, salespersonId: query.salespersonId },
        restrict: groupCondition,
      })}
      SELECT o.id, o.number, o.customer_id, c.code AS customer_code, o.invoice_date, o.due_date, o.days_past_due,
        o.currency, o.total_minor, o.open_minor
      FROM open_items o
      JOIN customers c ON c.tenant_id = ${actor.tenantId} AND c.id = o.customer_id
      WHERE ${rangeCondition(query.bucket, context.settings)} AND ${after}
      ORDER BY o.days_past_due DESC, o.number
      LIMIT ${query.limit + 1}`.execute(tx);
    const page = pageFrom(result.rows, query.limit, (row) => [String(row.days_past_due), row.number]);
    return {
      items: page.items.map((row) => ({
        invoiceId: row.id,
        number: row.number,
        customerId: row.customer_id,
        customerCode: row.customer_code,
        invoiceDate: row.invoice_date,
        dueDate: row.due_date,
        daysPastDue: row.days_past_due,
        currency: row.currency,
        total: minorToDecimalString(row.total_minor, row.currency),
        open: minorToDecimalString(row.open_minor, row.currency),
      })),
      nextCursor: page.nextCursor,
    };
  });
}

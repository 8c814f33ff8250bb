import type { CalendarDate } from '@huikuan/core';
import type { StatementRun } from '@huikuan/core/contracts';
import type { AuditActor } from '../../platform/audit';
import type { AppDeps } from '../../platform/deps';
import { customerBalancesAsOf } from '../receipts/balances';
import { archiveLetter, archivedLetterBySourceKey, lockSourceKey, sourceKeyOf } from './archive-letter';
import { lastDayOfMonth } from './letter-data';
import { renderLetterDetail } from './render-letter';
import { organizationLocale } from './step-support';

/**
 * 月度对账单: on the month's last day, every customer with a balance (either way) gets the month's statement by
 * e-mail with the PDF attached. One statement per customer and month, whoever runs it how often (the CLI, the
 * monthly job, a retry after a crash): the archive's key (customer, month) says whether it was already made. Each
 * customer is its own transaction, so one failure neither undoes nor blocks the others, and PGlite's single
 * session is never held for the whole run.
 */
export async function sendMonthlyStatements(
  deps: Pick<AppDeps, 'db'>,
  tenantId: string,
  month: string,
  options: { isDryRun?: boolean } = {},
): Promise<StatementRun> {
  const asOf = lastDayOfMonth(month);
  const periodFrom = `${month}-01` as CalendarDate;
  const actor: AuditActor = {
    tenantId,
    userId: null,
    tokenId: null,
    requestId: `statements:${month}`,
    ip: 'system',
  };
  const customers = await deps.db.tenant(tenantId, async (tx) => {
    const balances = await customerBalancesAsOf(tx, tenantId, asOf);
    const owing = new Set(balances.filter((row) => row.balanceMinor !== 0n).map((row) => row.customerId));
    if (owing.size === 0) return [];
    return tx
      .selectFrom('customers')
      .select(['id', 'code'])
      .where('tenant_id', '=', tenantId)
      .where('id', 'in', [...owing])
      .orderBy('code')
      .execute();
  });
  const run: StatementRun = { month, asOf, isDryRun: options.isDryRun ?? false, sent: [], skipped: [] };
  for (const customer of customers) {
    const source = { kind: 'scheduled_statement' as const, month };
    const key = sourceKeyOf(source, customer.id);
    const letterId = await deps.db.tenant(tenantId, async (tx) => {
      await lockSourceKey(tx, key);
      if (await archivedLetterBySourceKey(tx, tenantId, key)) return 'already_sent' as const;
      if (run.isDryRun) return null;
      const request = {
        tenantId,
        kind: 'statement' as const,
        customerId: customer.id,
        asOf,
        periodFrom,
        locale: await organizationLocale(tx, tenantId),
      };
      const rendered = await renderLetterDetail(tx, request);
      const letter = await archiveLetter(tx, { actor, request, rendered, source, isEmailed: true });
      return letter.id;
    });
    if (letterId === 'already_sent')
      run.skipped.push({ customerId: customer.id, code: customer.code, reason: letterId });
    else run.sent.push({ customerId: customer.id, code: customer.code, letterId });
  }
  return run;
}

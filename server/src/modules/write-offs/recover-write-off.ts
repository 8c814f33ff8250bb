import { minorToDecimalString, type CalendarDate } from '@huikuan/core';
import type { WriteOff } from '@huikuan/core/contracts';
import { sql } from 'kysely';
import { recordAudit } from '../../platform/audit';
import type { Tx } from '../../platform/db';
import type { AppDeps } from '../../platform/deps';
import { notFound } from '../../platform/errors';
import { amountMinorOrThrow } from '../../platform/money-input';
import type { Actor } from '../../platform/request-context';
import { assertAllocatable } from '../receipts/allocate';
import { receiptHeadroomFrom } from '../receipts/balances';
import {
  conflict,
  dateIssue,
  ledgerWrite,
  organizationSettings,
  requireFinance,
} from '../receipts/receipt-support';
import { lockVisibleReceiptOrThrow, type LockedReceipt } from '../receipts/receipt-view';
import { writeOffRows, writeOffViewOrThrow } from './write-off-view';

export type RecoveryInput = { receiptId: string; amount: string; recoveredOn?: CalendarDate | undefined };

/**
 * What the write-off can still take from `fromDate` on: written off minus the most it has recovered at `fromDate`
 * or at any later date a recovery or reversal touches it, so a back-dated recovery cannot, on some day between,
 * recover more than was written off.
 */
async function writeOffHeadroomFrom(tx: Tx, tenantId: string, writeOffId: string, fromDate: string) {
  const result = await sql<{ headroom: bigint }>`
    SELECT wo.amount_minor - coalesce(max(
      (SELECT sum(a.amount_minor) FROM allocations a
        WHERE a.tenant_id = wo.tenant_id AND a.write_off_id = wo.id AND a.allocated_on <= t.d)), 0)::bigint
      AS headroom
    FROM credit_notes wo
    CROSS JOIN (
      SELECT ${fromDate}::date AS d
      UNION SELECT a.allocated_on FROM allocations a
        WHERE a.tenant_id = ${tenantId} AND a.write_off_id = ${writeOffId} AND a.allocated_on > ${fromDate}::date
    ) t
    WHERE wo.tenant_id = ${tenantId} AND wo.id = ${writeOffId}
    GROUP BY wo.id, wo.amount_minor`.execute(tx);
  const row = result.rows[0];
  if (!row) throw new Error(`write-off ${writeOffId} not found for headroom`);
  return row.headroom;
}

/** The visible write-off, locked after the receipt (the ledger's lock order: receipt first, then what it pays). */
async function lockWriteOffOrThrow(tx: Tx, actor: Actor, writeOffId: string) {
  const visible = await writeOffRows(tx, actor).where('wo.id', '=', writeOffId).executeTakeFirst();
  if (!visible) throw notFound('write_off');
  await tx
    .selectFrom('credit_notes')
    .select('id')
    .where('tenant_id', '=', actor.tenantId)
    .where('id', '=', writeOffId)
    .forUpdate()
    .execute();
  return visible;
}

function recoveryDateOrThrow(
  requested: CalendarDate | undefined,
  today: CalendarDate,
  receipt: LockedReceipt,
  writtenOffOn: string,
): string {
  const recoveredOn = requested ?? today;
  if (recoveredOn > today) throw dateIssue('recoveredOn', 'A recovery cannot be dated in the future');
  const earliest = receipt.received_on > writtenOffOn ? receipt.received_on : writtenOffOn;
  if (recoveredOn < earliest) {
    throw dateIssue('recoveredOn', `Must be on or after ${earliest} (the receipt and the write-off)`);
  }
  return recoveredOn;
}

/**
 * 已核销坏账收回: money from a confirmed receipt of the same customer is applied to a written-off amount. It uses up
 * the receipt like an allocation and leaves the invoice closed; reversing it (取消核销 on the allocation) makes the
 * money unapplied again and the amount written off again.
 */
export async function recoverWriteOff(
  deps: AppDeps,
  actor: Actor,
  writeOffId: string,
  input: RecoveryInput,
  idempotencyKey: string,
): Promise<WriteOff> {
  requireFinance(actor);
  const request = { writeOffId, ...input, recoveredOn: input.recoveredOn ?? null };
  return ledgerWrite(deps, actor, idempotencyKey, 'write_off.recover', request, async (tx) => {
    const receipt = await lockVisibleReceiptOrThrow(tx, actor, input.receiptId);
    const customerId = assertAllocatable(receipt);
    const writeOff = await lockWriteOffOrThrow(tx, actor, writeOffId);
    if (customerId !== writeOff.customer_id) throw conflict('the receipt is from another customer');
    if (receipt.currency !== writeOff.currency) {
      throw conflict(`the receipt is in ${receipt.currency}, the write-off in ${writeOff.currency}`);
    }
    const amountMinor = amountMinorOrThrow(input.amount, writeOff.currency, 'amount');
    const { today } = await organizationSettings(tx, actor.tenantId, deps.clock);
    const recoveredOn = recoveryDateOrThrow(input.recoveredOn, today, receipt, writeOff.issued_on);
    const receiptRoom = await receiptHeadroomFrom(tx, actor.tenantId, receipt.id, recoveredOn);
    if (amountMinor > receiptRoom) {
      throw conflict(
        `only ${minorToDecimalString(receiptRoom, receipt.currency)} of the receipt is unapplied`,
      );
    }
    const writeOffRoom = await writeOffHeadroomFrom(tx, actor.tenantId, writeOffId, recoveredOn);
    if (amountMinor > writeOffRoom) {
      throw conflict(
        `only ${minorToDecimalString(writeOffRoom, writeOff.currency)} of ${writeOff.number} is unrecovered`,
      );
    }
    const allocation = await tx
      .insertInto('allocations')
      .values({
        tenant_id: actor.tenantId,
        receipt_id: receipt.id,
        write_off_id: writeOffId,
        amount_minor: amountMinor,
        currency: writeOff.currency,
        allocated_on: recoveredOn,
        reason: `recovery of ${writeOff.number}`,
        created_by_user_id: actor.userId,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(tx, actor, {
      action: 'write_off.recovered',
      entityType: 'credit_note',
      entityId: writeOffId,
      after: allocation,
    });
    return writeOffViewOrThrow(tx, actor, writeOffId);
  });
}

import type { ReviewNote } from '@huikuan/core/contracts';
import { sql } from 'kysely';
import { recordAudit } from '../../platform/audit';
import type { AppDeps } from '../../platform/deps';
import { AppError } from '../../platform/errors';
import { recordScope, type Actor } from '../../platform/request-context';
import { customerScopeCondition, visibleCustomerOrThrow } from '../customers/customer-access';
import { salespersonScopeCondition, visibleSalespersonOrThrow } from './incentive-context';

type Row = {
  id: string;
  subject_user_id: string | null;
  customer_id: string | null;
  period: string | null;
  body: string;
  author_user_id: string;
  author_name: string;
  created_at: Date;
};

function viewOf(row: Row): ReviewNote {
  return {
    id: row.id,
    userId: row.subject_user_id,
    customerId: row.customer_id,
    period: row.period,
    body: row.body,
    authorUserId: row.author_user_id,
    authorName: row.author_name,
    createdAt: new Date(row.created_at).toISOString(),
  };
}

/**
 * 评估与指导: a manager (or finance, an admin) writes a review of a salesperson in their scope or of a customer case
 * they can see. Notes are append-only: a later note corrects an earlier one.
 */
export async function addReviewNote(
  deps: AppDeps,
  actor: Actor,
  input: {
    userId?: string | undefined;
    customerId?: string | undefined;
    period?: string | undefined;
    body: string;
  },
): Promise<ReviewNote> {
  if (!['sales_manager', 'finance', 'admin', 'executive'].includes(actor.role) || !actor.userId) {
    throw new AppError('forbidden');
  }
  const authorId = actor.userId;
  return deps.db.tenant(actor.tenantId, async (tx) => {
    if (input.userId) await visibleSalespersonOrThrow(tx, actor, input.userId);
    if (input.customerId) await visibleCustomerOrThrow(tx, actor, input.customerId);
    const row = await tx
      .insertInto('review_notes')
      .values({
        tenant_id: actor.tenantId,
        subject_user_id: input.userId ?? null,
        customer_id: input.customerId ?? null,
        period: input.period ?? null,
        body: input.body,
        author_user_id: authorId,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(tx, actor, {
      action: 'review_note.added',
      entityType: input.userId ? 'user' : 'customer',
      entityId: input.userId ?? input.customerId ?? '',
      after: row,
    });
    const author = await tx
      .selectFrom('users')
      .select('name')
      .where('tenant_id', '=', actor.tenantId)
      .where('id', '=', authorId)
      .executeTakeFirstOrThrow();
    return viewOf({ ...row, author_name: author.name });
  });
}

/** Notes on people and customers in the actor's scope, newest first, optionally about one of them. */
export async function listReviewNotes(
  deps: AppDeps,
  actor: Actor,
  query: { userId?: string | undefined; customerId?: string | undefined },
): Promise<{ items: ReviewNote[] }> {
  return deps.db.tenant(actor.tenantId, async (tx) => {
    const scope = recordScope(actor);
    const result = await sql<Row>`
      SELECT n.id, n.subject_user_id, n.customer_id, n.period, n.body, n.author_user_id, a.name AS author_name,
        n.created_at
      FROM review_notes n
      JOIN users a ON a.tenant_id = n.tenant_id AND a.id = n.author_user_id
      LEFT JOIN users u ON u.tenant_id = n.tenant_id AND u.id = n.subject_user_id
      LEFT JOIN customers c ON c.tenant_id = n.tenant_id AND c.id = n.customer_id
      WHERE n.tenant_id = ${actor.tenantId}
        AND ((u.id IS NOT NULL AND ${salespersonScopeCondition(scope, 'u')})
          OR (c.id IS NOT NULL AND ${customerScopeCondition(scope, 'c')}))
        AND (${query.userId ?? null}::uuid IS NULL OR n.subject_user_id = ${query.userId ?? null}::uuid)
        AND (${query.customerId ?? null}::uuid IS NULL OR n.customer_id = ${query.customerId ?? null}::uuid)
      ORDER BY n.created_at DESC, n.id
      LIMIT 500`.execute(tx);
    return { items: result.rows.map(viewOf) };
  });
}

import { DEFAULT_PLAYBOOK } from '@huikuan/core';
import { playbookSchema, type PlaybookView } from '@huikuan/core/contracts';
import type { z } from 'zod';
import { recordAudit } from '../../platform/audit';
import type { Tx } from '../../platform/db';
import type { AppDeps } from '../../platform/deps';
import { AppError } from '../../platform/errors';
import type { Actor } from '../../platform/request-context';

/**
 * The organization's playbook (催收手册): the seven delinquency types' counter-strategies, the checklists of seed 001
 * and the scripts (话术). No row = the defaults in core/src/playbooks.ts; admins replace the document as a whole
 * (validated by the contract, audited with before and after) or reset it to the defaults.
 */

async function storedPlaybook(tx: Tx, tenantId: string) {
  return tx
    .selectFrom('collection_playbooks')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .executeTakeFirst();
}

export async function playbookIn(tx: Tx, tenantId: string): Promise<PlaybookView> {
  const row = await storedPlaybook(tx, tenantId);
  if (!row)
    return { playbook: DEFAULT_PLAYBOOK, isCustomized: false, updatedAt: null, updatedByUserId: null };
  // A stored document was validated when written; parse again so a shape change in a later version fails loudly.
  const parsed = playbookSchema.safeParse(row.content);
  return {
    playbook: parsed.success ? parsed.data : DEFAULT_PLAYBOOK,
    isCustomized: parsed.success,
    updatedAt: row.updated_at.toISOString(),
    updatedByUserId: row.updated_by_user_id,
  };
}

export function getPlaybook(deps: AppDeps, actor: Actor): Promise<PlaybookView> {
  return deps.db.tenant(actor.tenantId, (tx) => playbookIn(tx, actor.tenantId));
}

function assertMayEdit(actor: Actor): void {
  if (actor.role !== 'admin') throw new AppError('forbidden');
}

function assertUniqueKeys(playbook: z.output<typeof playbookSchema>): void {
  for (const [list, path] of [
    [playbook.checklists, 'checklists'],
    [playbook.scripts, 'scripts'],
  ] as const) {
    const seen = new Set<string>();
    for (const [index, entry] of list.entries()) {
      if (seen.has(entry.key)) {
        throw new AppError('validation_failed', {}, [
          { path: `${path}.${index}.key`, message: 'Keys must be unique' },
        ]);
      }
      seen.add(entry.key);
    }
  }
}

export async function savePlaybook(
  deps: AppDeps,
  actor: Actor,
  playbook: z.output<typeof playbookSchema>,
): Promise<PlaybookView> {
  assertMayEdit(actor);
  assertUniqueKeys(playbook);
  return deps.db.tenant(actor.tenantId, async (tx) => {
    const before = await storedPlaybook(tx, actor.tenantId);
    const content = JSON.stringify(playbook);
    await tx
      .insertInto('collection_playbooks')
      .values({ tenant_id: actor.tenantId, content, updated_by_user_id: actor.userId })
      .onConflict((oc) =>
        oc
          .column('tenant_id')
          .doUpdateSet({ content, updated_by_user_id: actor.userId, updated_at: deps.clock.now() }),
      )
      .execute();
    await recordAudit(tx, actor, {
      action: 'playbook.saved',
      entityType: 'playbook',
      entityId: actor.tenantId,
      before: before?.content ?? null,
      after: playbook,
    });
    return playbookIn(tx, actor.tenantId);
  });
}

export async function resetPlaybook(deps: AppDeps, actor: Actor): Promise<PlaybookView> {
  assertMayEdit(actor);
  return deps.db.tenant(actor.tenantId, async (tx) => {
    const before = await storedPlaybook(tx, actor.tenantId);
    if (before) {
      await tx.deleteFrom('collection_playbooks').where('tenant_id', '=', actor.tenantId).execute();
      await recordAudit(tx, actor, {
        action: 'playbook.reset',
        entityType: 'playbook',
        entityId: actor.tenantId,
        before: before.content,
      });
    }
    return playbookIn(tx, actor.tenantId);
  });
}

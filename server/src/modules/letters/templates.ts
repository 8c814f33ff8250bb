import {
  DEFAULT_LETTER_TEMPLATES,
  LETTER_KINDS,
  LETTER_PLACEHOLDERS,
  LOCALES,
  type LetterKind,
  type LetterLocale,
  type LetterTemplate,
} from '@huikuan/core';
import { letterTemplateSchema, type LetterTemplateView } from '@huikuan/core/contracts';
import { recordAudit } from '../../platform/audit';
import type { Tx } from '../../platform/db';
import type { AppDeps } from '../../platform/deps';
import type { Actor } from '../../platform/request-context';
import { requireLetterAdmin } from './letterhead';

/**
 * The wording per kind and language: an organization's saved version, or the built-in one. Saving checks the
 * placeholders (in the contract, so the editor refuses the same); resetting deletes the override.
 */

type TemplateRow = { kind: string; locale: string; blocks: unknown; updated_at: Date };

function viewOf(kind: LetterKind, locale: LetterLocale, row: TemplateRow | undefined): LetterTemplateView {
  return {
    kind,
    locale,
    template: row ? storedTemplate(row) : DEFAULT_LETTER_TEMPLATES[kind][locale],
    isCustomized: row !== undefined,
    updatedAt: row?.updated_at.toISOString() ?? null,
    placeholders: [...LETTER_PLACEHOLDERS],
  };
}

/** Stored wording passed the same contract when it was saved; reading it checks again rather than trusting JSON. */
function storedTemplate(row: TemplateRow): LetterTemplate {
  const parsed = letterTemplateSchema.safeParse(row.blocks);
  if (!parsed.success)
    throw new Error(`letter template ${row.kind}/${row.locale} no longer passes its contract`);
  return parsed.data;
}

export async function effectiveTemplate(
  tx: Tx,
  tenantId: string,
  kind: LetterKind,
  locale: LetterLocale,
): Promise<LetterTemplate> {
  const row = await tx
    .selectFrom('letter_templates')
    .select(['kind', 'locale', 'blocks', 'updated_at'])
    .where('tenant_id', '=', tenantId)
    .where('kind', '=', kind)
    .where('locale', '=', locale)
    .executeTakeFirst();
  return row ? storedTemplate(row) : DEFAULT_LETTER_TEMPLATES[kind][locale];
}

export async function listTemplates(deps: AppDeps, actor: Actor): Promise<{ items: LetterTemplateView[] }> {
  const rows = await deps.db.tenant(actor.tenantId, (tx) =>
    tx
      .selectFrom('letter_templates')
      .select(['kind', 'locale', 'blocks', 'updated_at'])
      .where('tenant_id', '=', actor.tenantId)
      .execute(),
  );
  const items = LETTER_KINDS.flatMap((kind) =>
    LOCALES.map((locale) =>
      viewOf(
        kind,
        locale,
        rows.find((row) => row.kind === kind && row.locale === locale),
      ),
    ),
  );
  return { items };
}

export async function getTemplate(
  deps: AppDeps,
  actor: Actor,
  kind: LetterKind,
  locale: LetterLocale,
): Promise<LetterTemplateView> {
  const row = await deps.db.tenant(actor.tenantId, (tx) =>
    tx
      .selectFrom('letter_templates')
      .select(['kind', 'locale', 'blocks', 'updated_at'])
      .where('tenant_id', '=', actor.tenantId)
      .where('kind', '=', kind)
      .where('locale', '=', locale)
      .executeTakeFirst(),
  );
  return viewOf(kind, locale, row);
}

export async function saveTemplate(
  deps: AppDeps,
  actor: Actor,
  kind: LetterKind,
  locale: LetterLocale,
  template: LetterTemplate,
): Promise<LetterTemplateView> {
  requireLetterAdmin(actor);
  return deps.db.tenant(actor.tenantId, async (tx) => {
    const before = await effectiveTemplate(tx, actor.tenantId, kind, locale);
    const values = {
      blocks: JSON.stringify(template),
      updated_by_user_id: actor.userId,
      updated_at: deps.clock.now(),
    };
    const row = await tx
      .insertInto('letter_templates')
      .values({ tenant_id: actor.tenantId, kind, locale, ...values })
      .onConflict((conflict) => conflict.columns(['tenant_id', 'kind', 'locale']).doUpdateSet(values))
      .returning(['kind', 'locale', 'blocks', 'updated_at'])
      .executeTakeFirstOrThrow();
    await recordAudit(tx, actor, {
      action: 'letter_template.saved',
      entityType: 'letter_template',
      entityId: `${kind}/${locale}`,
      before,
      after: template,
    });
    return viewOf(kind, locale, row);
  });
}

/** Back to the built-in wording. */
export async function resetTemplate(
  deps: AppDeps,
  actor: Actor,
  kind: LetterKind,
  locale: LetterLocale,
): Promise<LetterTemplateView> {
  requireLetterAdmin(actor);
  return deps.db.tenant(actor.tenantId, async (tx) => {
    const deleted = await tx
      .deleteFrom('letter_templates')
      .where('tenant_id', '=', actor.tenantId)
      .where('kind', '=', kind)
      .where('locale', '=', locale)
      .returning(['blocks'])
      .executeTakeFirst();
    if (deleted) {
      await recordAudit(tx, actor, {
        action: 'letter_template.reset',
        entityType: 'letter_template',
        entityId: `${kind}/${locale}`,
        before: deleted.blocks,
        after: DEFAULT_LETTER_TEMPLATES[kind][locale],
      });
    }
    return viewOf(kind, locale, undefined);
  });
}

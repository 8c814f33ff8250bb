import type { Selectable } from 'kysely';
import {
  IMPORT_FIELDS,
  type ImportKind,
  type ImportPreset,
  type UpdateImportPresetBody,
} from '@huikuan/core';
import type { ImportPresetsTable } from '../../db/schema';
import { recordAudit } from '../../platform/audit';
import type { Tx } from '../../platform/db';
import { isUniqueViolation } from '../../platform/db-errors';
import type { AppDeps } from '../../platform/deps';
import { AppError, notFound } from '../../platform/errors';
import type { Actor } from '../../platform/request-context';

/**
 * Saved column mappings (导入模板). A preset is shared by the organization: anyone who imports may use one; its
 * creator, finance and admins may change or delete it.
 */

export type CreatePresetInput = {
  name: string;
  kind: ImportKind;
  mapping: Record<string, string>;
  encoding: ImportPreset['encoding'];
  dateFormat: string;
  decimalSeparator: ImportPreset['decimalSeparator'];
};

function presetOf(row: Selectable<ImportPresetsTable>): ImportPreset {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind as ImportKind,
    mapping: (row.mapping ?? {}) as Record<string, string>,
    encoding: row.encoding as ImportPreset['encoding'],
    dateFormat: row.date_format,
    decimalSeparator: row.decimal_separator as ImportPreset['decimalSeparator'],
    createdByUserId: row.created_by_user_id,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

/** A mapping may only name fields the kind has; the columns are checked against a file when it is used. */
function assertMappingFields(kind: ImportKind, mapping: Record<string, string>): void {
  const names = new Set(IMPORT_FIELDS[kind].map((field) => field.name));
  const issues = Object.keys(mapping)
    .filter((field) => !names.has(field))
    .map((field) => ({ path: `mapping.${field}`, message: `${kind} have no field "${field}"` }));
  if (issues.length > 0) throw new AppError('validation_failed', {}, issues);
}

function conflictOnName(error: unknown, name: string | undefined): never {
  if (isUniqueViolation(error)) {
    throw new AppError('conflict', { detail: `an import preset named "${name ?? ''}" already exists` });
  }
  throw error;
}

export async function listPresets(
  deps: AppDeps,
  actor: Actor,
  kind: ImportKind | undefined,
): Promise<{ items: ImportPreset[] }> {
  const rows = await deps.db.tenant(actor.tenantId, (tx) => {
    let query = tx.selectFrom('import_presets').selectAll().where('tenant_id', '=', actor.tenantId);
    if (kind !== undefined) query = query.where('kind', '=', kind);
    // A handful per kind at most: an organization keeps one preset per source system.
    return query.orderBy('kind').orderBy('name').limit(500).execute();
  });
  return { items: rows.map(presetOf) };
}

export async function createPreset(
  deps: AppDeps,
  actor: Actor,
  input: CreatePresetInput,
): Promise<ImportPreset> {
  assertMappingFields(input.kind, input.mapping);
  try {
    return await deps.db.tenant(actor.tenantId, async (tx) => {
      const row = await tx
        .insertInto('import_presets')
        .values({
          tenant_id: actor.tenantId,
          kind: input.kind,
          name: input.name,
          mapping: JSON.stringify(input.mapping),
          date_format: input.dateFormat,
          encoding: input.encoding,
          decimal_separator: input.decimalSeparator,
          created_by_user_id: actor.userId,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      await recordAudit(tx, actor, {
        action: 'import_preset.created',
        entityType: 'import_preset',
        entityId: row.id,
        after: row,
      });
      return presetOf(row);
    });
  } catch (error) {
    return conflictOnName(error, input.name);
  }
}

async function editablePresetOrThrow(
  tx: Tx,
  actor: Actor,
  presetId: string,
): Promise<Selectable<ImportPresetsTable>> {
  const row = await tx
    .selectFrom('import_presets')
    .selectAll()
    .where('tenant_id', '=', actor.tenantId)
    .where('id', '=', presetId)
    .forUpdate()
    .executeTakeFirst();
  if (!row) throw notFound('import_preset');
  const isPrivileged = actor.role === 'finance' || actor.role === 'admin';
  if (!isPrivileged && row.created_by_user_id !== actor.userId) throw new AppError('forbidden');
  return row;
}

export async function updatePreset(
  deps: AppDeps,
  actor: Actor,
  presetId: string,
  input: UpdateImportPresetBody,
): Promise<ImportPreset> {
  try {
    return await deps.db.tenant(actor.tenantId, async (tx) => {
      const before = await editablePresetOrThrow(tx, actor, presetId);
      if (input.mapping !== undefined) assertMappingFields(before.kind as ImportKind, input.mapping);
      const after = await tx
        .updateTable('import_presets')
        .set({
          ...(input.name !== undefined ? { name: input.name } : {}),
          ...(input.mapping !== undefined ? { mapping: JSON.stringify(input.mapping) } : {}),
          ...(input.encoding !== undefined ? { encoding: input.encoding } : {}),
          ...(input.dateFormat !== undefined ? { date_format: input.dateFormat } : {}),
          ...(input.decimalSeparator !== undefined ? { decimal_separator: input.decimalSeparator } : {}),
          updated_at: deps.clock.now(),
        })
        .where('tenant_id', '=', actor.tenantId)
        .where('id', '=', presetId)
        .returningAll()
        .executeTakeFirstOrThrow();
      await recordAudit(tx, actor, {
        action: 'import_preset.updated',
        entityType: 'import_preset',
        entityId: presetId,
        before,
        after,
      });
      return presetOf(after);
    });
  } catch (error) {
    return conflictOnName(error, input.name);
  }
}

export async function deletePreset(deps: AppDeps, actor: Actor, presetId: string): Promise<void> {
  await deps.db.tenant(actor.tenantId, async (tx) => {
    const before = await editablePresetOrThrow(tx, actor, presetId);
    await tx
      .deleteFrom('import_presets')
      .where('tenant_id', '=', actor.tenantId)
      .where('id', '=', presetId)
      .execute();
    await recordAudit(tx, actor, {
      action: 'import_preset.deleted',
      entityType: 'import_preset',
      entityId: presetId,
      before,
    });
  });
}

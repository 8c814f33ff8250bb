import { sql, type RawBuilder } from 'kysely';

/**
 * The dashboard's optional filters on every receivables report (aging, its drill-down, provision, KPIs). They
 * narrow what the caller's record scope already lets through and never widen it: both conditions are ANDed to the
 * scope condition on the same customer row.
 *
 * - `teamId`: customers of that team or of any team beneath it (the record scope's notion of a team).
 * - `salespersonId`: customers that user owns (the `by=salesperson` dimension's notion of a salesperson).
 *
 * A team of another organization matches no team row under this tenant, so the filter matches nothing.
 */
export type ReportFilter = { teamId?: string | undefined; salespersonId?: string | undefined };

export const NO_FILTER: ReportFilter = {};

export function reportFilterCondition(
  tenantId: string,
  filter: ReportFilter | undefined,
  customerAlias: string,
): RawBuilder<boolean> {
  const conditions: RawBuilder<boolean>[] = [];
  if (filter?.teamId !== undefined) {
    conditions.push(sql<boolean>`${sql.ref(`${customerAlias}.team_id`)} IN (
      WITH RECURSIVE filter_teams AS (
        SELECT ft.id FROM teams ft WHERE ft.tenant_id = ${tenantId} AND ft.id = ${filter.teamId}
        UNION
        SELECT child.id FROM teams child JOIN filter_teams ON child.parent_id = filter_teams.id
        WHERE child.tenant_id = ${tenantId}
      )
      SELECT id FROM filter_teams)`);
  }
  if (filter?.salespersonId !== undefined) {
    conditions.push(sql<boolean>`${sql.ref(`${customerAlias}.owner_user_id`)} = ${filter.salespersonId}`);
  }
  return conditions.length === 0 ? sql<boolean>`true` : sql<boolean>`(${sql.join(conditions, sql` AND `)})`;
}

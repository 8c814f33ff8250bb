/**
 * Messages of 账龄分析与经营看板 (aging pages and the dashboard). Each feature owns its slice; app/i18n merges the slices into the
 * dictionaries, and the English slice is typed from the Chinese one so a missing translation fails the type check.
 */
export const reportsZhCN = {} as const;

export const reportsEn: Record<keyof typeof reportsZhCN, string> = {};

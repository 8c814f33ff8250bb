/**
 * Messages of 坏账核销与收回 (write-offs and recoveries). Each feature owns its slice; app/i18n merges the slices into the
 * dictionaries, and the English slice is typed from the Chinese one so a missing translation fails the type check.
 */
export const writeOffsZhCN = {} as const;

export const writeOffsEn: Record<keyof typeof writeOffsZhCN, string> = {};

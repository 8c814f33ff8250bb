/**
 * Messages of 信用控制 (credit limits, exposure, holds, overrides, disputes). Each feature owns its slice; app/i18n merges the slices into the
 * dictionaries, and the English slice is typed from the Chinese one so a missing translation fails the type check.
 */
export const creditZhCN = {} as const;

export const creditEn: Record<keyof typeof creditZhCN, string> = {};

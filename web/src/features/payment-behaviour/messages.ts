/**
 * Messages of 付款行为与信用等级 (payment behaviour and ratings). Each feature owns its slice; app/i18n merges the slices into the
 * dictionaries, and the English slice is typed from the Chinese one so a missing translation fails the type check.
 */
export const behaviourZhCN = {} as const;

export const behaviourEn: Record<keyof typeof behaviourZhCN, string> = {};

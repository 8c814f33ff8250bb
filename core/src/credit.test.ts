import { describe, expect, it } from 'vitest';
import {
  DEFAULT_CREDIT_SETTINGS,
  addedByInvoiceMinor,
  creditBlockCauses,
  effectiveLimitMinor,
  holdCauses,
  holdTransition,
  isCreditWarning,
  shareOfLimit,
  warningThresholdMinor,
  type CreditPosition,
} from './credit';

const settings = DEFAULT_CREDIT_SETTINGS;

function position(overrides: Partial<CreditPosition> = {}): CreditPosition {
  return {
    limitMinor: 100_000n,
    exposureMinor: 0n,
    oldestOverdueDays: null,
    openDisputesMinor: 0n,
    hasOtherCurrencyDisputes: false,
    overrideMinor: 0n,
    hasActiveOverride: false,
    ...overrides,
  };
}

const write = (addedExposureMinor: bigint, currency = 'CNY') => ({
  addedExposureMinor,
  currency,
  limitCurrency: 'CNY',
});

describe('hold causes', () => {
  it('holds when exposure is above the limit, not when it equals it', () => {
    expect(holdCauses(position({ exposureMinor: 100_000n }), settings)).toEqual([]);
    expect(holdCauses(position({ exposureMinor: 100_001n }), settings)).toEqual(['over_limit']);
  });

  it('has no limit rule without a limit', () => {
    expect(holdCauses(position({ limitMinor: null, exposureMinor: 10n ** 15n }), settings)).toEqual([]);
  });

  it('holds once the oldest overdue item is more than the configured days past due', () => {
    expect(holdCauses(position({ oldestOverdueDays: 90 }), settings)).toEqual([]);
    expect(holdCauses(position({ oldestOverdueDays: 91 }), settings)).toEqual(['overdue']);
    expect(holdCauses(position({ oldestOverdueDays: 31 }), { ...settings, overdueHoldDays: 30 })).toEqual([
      'overdue',
    ]);
  });

  it('holds on any open dispute with the default threshold of 0, and above a threshold otherwise', () => {
    expect(holdCauses(position({ openDisputesMinor: 1n }), settings)).toEqual(['dispute']);
    const threshold = { ...settings, disputeHoldThresholdMinor: 5_000n };
    expect(holdCauses(position({ openDisputesMinor: 5_000n }), threshold)).toEqual([]);
    expect(holdCauses(position({ openDisputesMinor: 5_001n }), threshold)).toEqual(['dispute']);
    expect(holdCauses(position({ hasOtherCurrencyDisputes: true }), threshold)).toEqual(['dispute']);
  });

  it('lists every cause at once, in a stable order', () => {
    const all = position({ exposureMinor: 200_000n, oldestOverdueDays: 400, openDisputesMinor: 1n });
    expect(holdCauses(all, settings)).toEqual(['over_limit', 'overdue', 'dispute']);
  });
});

describe('warning', () => {
  it('rounds the warning line up, so 80% of 1000.01 warns from 800.01', () => {
    expect(warningThresholdMinor(100_001n, 8000)).toBe(80_001n);
    expect(isCreditWarning(position({ limitMinor: 100_001n, exposureMinor: 80_000n }), settings)).toBe(false);
    expect(isCreditWarning(position({ limitMinor: 100_001n, exposureMinor: 80_001n }), settings)).toBe(true);
  });

  it('warns up to the limit and stops warning once the customer is over it (that is a hold)', () => {
    expect(isCreditWarning(position({ exposureMinor: 100_000n }), settings)).toBe(true);
    expect(isCreditWarning(position({ exposureMinor: 100_001n }), settings)).toBe(false);
    expect(isCreditWarning(position({ limitMinor: null, exposureMinor: 1n }), settings)).toBe(false);
  });

  it('warns from zero exposure on a zero limit', () => {
    expect(isCreditWarning(position({ limitMinor: 0n, exposureMinor: 0n }), settings)).toBe(true);
  });
});

describe('share of limit', () => {
  it('is a fraction, and null without a (non-zero) limit', () => {
    expect(shareOfLimit(85_000n, 100_000n)).toBe(0.85);
    expect(shareOfLimit(1n, 3n)).toBe(0.333333);
    expect(shareOfLimit(1n, null)).toBeNull();
    expect(shareOfLimit(1n, 0n)).toBeNull();
  });
});

describe('write checks', () => {
  it('lets a write through up to the limit and refuses the one cent beyond it', () => {
    const current = position({ exposureMinor: 60_000n });
    expect(creditBlockCauses(current, settings, write(40_000n))).toEqual([]);
    expect(creditBlockCauses(current, settings, write(40_001n))).toEqual(['would_exceed_limit']);
  });

  it('refuses every write while a hold cause stands, even one that adds nothing', () => {
    expect(creditBlockCauses(position({ exposureMinor: 100_001n }), settings, write(0n))).toEqual([
      'over_limit',
    ]);
    expect(creditBlockCauses(position({ oldestOverdueDays: 120 }), settings, write(0n))).toEqual(['overdue']);
  });

  it('raises the limit by an active override and lifts overdue and dispute holds', () => {
    const held = position({
      exposureMinor: 110_000n,
      oldestOverdueDays: 200,
      openDisputesMinor: 1n,
      overrideMinor: 20_000n,
      hasActiveOverride: true,
    });
    expect(effectiveLimitMinor(held)).toBe(120_000n);
    expect(creditBlockCauses(held, settings, write(10_000n))).toEqual([]);
    expect(creditBlockCauses(held, settings, write(10_001n))).toEqual(['would_exceed_limit']);
    expect(
      creditBlockCauses({ ...held, hasActiveOverride: false, overrideMinor: 0n }, settings, write(0n)),
    ).toEqual(['overdue', 'dispute', 'over_limit']);
  });

  it('does not lift the limit beyond the override amount', () => {
    const held = position({ exposureMinor: 130_000n, overrideMinor: 20_000n, hasActiveOverride: true });
    expect(creditBlockCauses(held, settings, write(0n))).toEqual(['over_limit']);
  });

  it('refuses exposure in another currency than the limit, which cannot be compared', () => {
    expect(creditBlockCauses(position(), settings, write(1n, 'USD'))).toEqual(['currency_mismatch']);
    expect(creditBlockCauses(position(), settings, write(0n, 'USD'))).toEqual([]);
    expect(creditBlockCauses(position({ limitMinor: null }), settings, write(1n, 'USD'))).toEqual([]);
  });
});

describe('what an invoice adds', () => {
  it('adds only the part beyond its contract’s uninvoiced amount', () => {
    expect(addedByInvoiceMinor(30_000n, null)).toBe(30_000n);
    expect(addedByInvoiceMinor(30_000n, 50_000n)).toBe(0n);
    expect(addedByInvoiceMinor(30_000n, 10_000n)).toBe(20_000n);
    expect(addedByInvoiceMinor(30_000n, 0n)).toBe(30_000n);
  });
});

describe('transitions', () => {
  it('places, changes and releases a hold, and ignores no change', () => {
    expect(holdTransition(null, [])).toBeNull();
    expect(holdTransition([], [])).toBeNull();
    expect(holdTransition(null, ['overdue'])).toBe('placed');
    expect(holdTransition(['overdue'], ['dispute', 'overdue'])).toBe('changed');
    expect(holdTransition(['overdue', 'dispute'], ['dispute', 'overdue'])).toBeNull();
    expect(holdTransition(['overdue'], [])).toBe('released');
  });
});

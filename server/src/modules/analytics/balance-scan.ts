import type { KpiGrouping } from '@huikuan/core/contracts';
import {
  dateOfDay,
  KIND_ALLOCATION,
  KIND_CREDIT_NOTE,
  NO_DAY,
  type LedgerView,
  type TenantLedger,
} from '../aging/ledger-cache';
import { toMinor } from '../aging/ledger-scan';

/**
 * The balance side of the KPIs as loops over the ledger copy (aging/ledger-cache.ts): one pass over the invoices
 * and one over their reductions, whatever the number of periods, with every lookup a typed array (no search, no
 * closure, no allocation per item). Open amounts follow receipts/balances.ts exactly: an issued invoice counts from
 * its invoice date unless voided on or before the date; posted credit notes and write-offs reduce it from their
 * issue date and allocations (reversals are negative allocations) from their allocation date.
 */

/** Groups of the report: the key of each group ('' = none, or the whole organization) and each customer's group. */
export type Groups = { keys: string[]; ofCustomer: Int32Array };

export function groupsOf(view: LedgerView, by: KpiGrouping): Groups {
  const keys: string[] = [];
  const index = new Map<string, number>();
  const ofCustomer = new Int32Array(view.ledger.customers.length);
  view.ledger.customers.forEach((customer, position) => {
    const key =
      by === 'organization'
        ? ''
        : by === 'team'
          ? (customer.teamId ?? '')
          : by === 'salesperson'
            ? (customer.ownerUserId ?? '')
            : customer.id;
    let group = index.get(key);
    if (group === undefined) {
      group = keys.length;
      keys.push(key);
      index.set(key, group);
    }
    ofCustomer[position] = group;
  });
  return { keys, ofCustomer };
}

/** A period as day numbers of the ledger copy, both ends inclusive. */
export type DayPeriod = { fromDay: number; toDay: number };

export type BalanceRow = {
  idx: number;
  group_key: string;
  currency: string;
  opening: bigint;
  invoiced: bigint;
  ending: bigint;
  ending_current: bigint;
  received: bigint;
  credited: bigint;
  written_off: bigint;
  voided: bigint;
};

/** Per slot between the periods' bounds: the net movement, then invoiced, received, credited, written off, voided. */
const FIELDS = 6;
const INVOICED = 1;
const VOIDED = 5;
const FIELD_OF_KIND = (kind: number) => (kind === KIND_ALLOCATION ? 2 : kind === KIND_CREDIT_NOTE ? 3 : 4);

/**
 * The periods' bounds (every `from` and every `to` + 1) as slots: slot s holds the days from the s-th bound on
 * (slot 0 the days before the first), through a table from day to slot (PostgreSQL's width_bucket, without a
 * search per movement). Days at or after `endDay`, the last bound, count in no period.
 */
type Bounds = { firstDay: number; endDay: number; slotOfDay: Uint16Array; slots: number; bounds: number[] };

function boundsOf(periods: readonly DayPeriod[]): Bounds {
  const bounds = [...new Set(periods.flatMap((period) => [period.fromDay, period.toDay + 1]))].sort(
    (a, b) => a - b,
  );
  const firstDay = bounds[0] ?? 0;
  const endDay = bounds.at(-1) ?? 0;
  const slotOfDay = new Uint16Array(endDay - firstDay);
  for (let s = 0, day = firstDay; day < endDay; day += 1) {
    while ((bounds[s] ?? NO_DAY) <= day) s += 1;
    slotOfDay[day - firstDay] = s;
  }
  return { firstDay, endDay, slotOfDay, slots: bounds.length + 1, bounds };
}

/**
 * C's periods: invoice i is not yet due at `to` when dated by `to`, due on or after it and not voided by then.
 * With the `to` days ascending that holds for a run of periods, from the first `to` on or after its invoice date
 * to the last `to` on or before min(due date, void date − 1); a reduction dated d counts in those of them with
 * `to` ≥ d. `atOrAfter[day − firstTo]` is the first period whose `to` is on or after the day.
 */
type Ends = { toDays: Int32Array; firstTo: number; lastTo: number; atOrAfter: Uint16Array };

function endsOf(periods: readonly DayPeriod[]): Ends {
  const toDays = Int32Array.from(periods, (period) => period.toDay);
  const firstTo = toDays[0] ?? 0;
  const lastTo = toDays.at(-1) ?? 0;
  const atOrAfter = new Uint16Array(lastTo - firstTo + 1);
  for (let k = 0, day = firstTo; day <= lastTo; day += 1) {
    while ((toDays[k] ?? NO_DAY) < day) k += 1;
    atOrAfter[day - firstTo] = k;
  }
  return { toDays, firstTo, lastTo, atOrAfter };
}

function firstEndAtOrAfter(ends: Ends, day: number): number {
  if (day > ends.lastTo) return ends.toDays.length;
  return day <= ends.firstTo ? 0 : (ends.atOrAfter[day - ends.firstTo] ?? 0);
}

/** Last period whose `to` is on or before the day (−1 when none). */
function lastEndAtOrBefore(ends: Ends, day: number): number {
  if (day >= ends.lastTo) return ends.toDays.length - 1;
  const k = firstEndAtOrAfter(ends, day);
  return ends.toDays[k] === day ? k : k - 1;
}

/** Gross invoiced per month (years × 12 + month − firstMonth) of each cell, for invoices dated by `lastDay`. */
type Months = {
  firstDay: number;
  lastDay: number;
  firstMonth: number;
  count: number;
  monthOfDay: Int32Array;
  sums: Float64Array;
  seen: Uint8Array;
};

type Scan = {
  ledger: TenantLedger;
  bounds: Bounds;
  ends: Ends;
  months: Months;
  cells: number;
  /** cells × slots × FIELDS. */
  sums: Float64Array;
  /** periods × cells: C. */
  current: Float64Array;
  used: Uint8Array;
  /** Per invoice slot: its cell (group × currencies + currency), −1 when the caller may not see its customer. */
  cellOf: Int32Array;
  /** Per invoice slot: 1 + first and 1 + last period in which it is not yet due (0: none). */
  currentFrom: Uint16Array;
  currentTo: Uint16Array;
  voidedSlots: number[];
};

/**
 * Per-invoice working columns, kept between calls: a call fills them and is done with them before it returns (the
 * loops are synchronous), and allocating 8 MB per call for a million invoices was a tenth of the trend's time in
 * garbage collection.
 */
let workspace = { cellOf: new Int32Array(0), currentFrom: new Uint16Array(0), currentTo: new Uint16Array(0) };

function workspaceFor(count: number): typeof workspace {
  if (workspace.cellOf.length < count) {
    const size = Math.ceil(count * 1.25);
    workspace = {
      cellOf: new Int32Array(size),
      currentFrom: new Uint16Array(size),
      currentTo: new Uint16Array(size),
    };
  } else {
    workspace.currentFrom.fill(0, 0, count);
    workspace.currentTo.fill(0, 0, count);
  }
  return workspace;
}

function monthNumber(date: string): number {
  return Number(date.slice(0, 4)) * 12 + Number(date.slice(5, 7)) - 1;
}

function monthsOf(ledger: TenantLedger, lastDay: number, cells: number): Months {
  const { invoiceDay } = ledger;
  let firstDay = lastDay;
  for (let slot = 0; slot < ledger.count; slot += 1)
    firstDay = Math.min(firstDay, invoiceDay[slot] ?? lastDay);
  const firstMonth = monthNumber(dateOfDay(firstDay));
  const count = monthNumber(dateOfDay(lastDay)) - firstMonth + 1;
  const monthOfDay = new Int32Array(lastDay - firstDay + 1);
  for (let day = firstDay, month = 0; day <= lastDay; day += 1) {
    if (day !== firstDay && dateOfDay(day).endsWith('-01')) month += 1;
    monthOfDay[day - firstDay] = month;
  }
  const sums = new Float64Array(cells * count);
  return { firstDay, lastDay, firstMonth, count, monthOfDay, sums, seen: new Uint8Array(sums.length) };
}

/** Each customer's first cell (its group × currencies), or −1 when the caller may not see the customer. */
function cellBases(view: LedgerView, groups: Groups): Int32Array {
  const currencies = view.ledger.currencies.length;
  const bases = new Int32Array(view.ledger.customers.length);
  for (let owner = 0; owner < bases.length; owner += 1) {
    const visible = view.selected === null || view.selected[owner] === 1;
    bases[owner] = visible ? (groups.ofCustomer[owner] ?? 0) * currencies : -1;
  }
  return bases;
}

/** C's periods of one invoice (see Ends), its total added to `current` for each. */
function addCurrent(scan: Scan, slot: number, cell: number, dated: number, lastCurrentDay: number): void {
  const first = firstEndAtOrAfter(scan.ends, dated);
  const last = lastEndAtOrBefore(scan.ends, lastCurrentDay);
  if (first > last) return;
  scan.currentFrom[slot] = first + 1;
  scan.currentTo[slot] = last + 1;
  const amount = scan.ledger.total[slot] ?? 0;
  for (let k = first; k <= last; k += 1) {
    const index = k * scan.cells + cell;
    scan.current[index] = (scan.current[index] ?? 0) + amount;
  }
  scan.used[cell] = 1;
}

/**
 * Pass over the invoices: gross invoiced (+total on the invoice date), monthly invoicing, C's totals, the cells,
 * the voided ones.
 */
function scanInvoices(scan: Scan, view: LedgerView, groups: Groups): void {
  const { ledger, ends, cellOf, months, bounds, sums, used } = scan;
  const { customer, currency, invoiceDay, dueDay, voidDay, total } = ledger;
  const bases = cellBases(view, groups);
  const { endDay, firstDay, slotOfDay, slots } = bounds;
  for (let slot = 0; slot < ledger.count; slot += 1) {
    const base = bases[customer[slot] ?? 0] ?? -1;
    if (base < 0) {
      cellOf[slot] = -1;
      continue;
    }
    const cell = base + (currency[slot] ?? 0);
    cellOf[slot] = cell;
    const dated = invoiceDay[slot] ?? 0;
    const voided = voidDay[slot] ?? NO_DAY;
    const amount = total[slot] ?? 0;
    if (dated <= months.lastDay) {
      const month = cell * months.count + (months.monthOfDay[dated - months.firstDay] ?? 0);
      months.sums[month] = (months.sums[month] ?? 0) + amount;
      months.seen[month] = 1;
    }
    if (dated < endDay && voided >= dated) {
      // addAt, inlined: this runs for every invoice.
      const at = (cell * slots + (dated < firstDay ? 0 : (slotOfDay[dated - firstDay] ?? 0))) * FIELDS;
      sums[at] = (sums[at] ?? 0) + amount;
      sums[at + INVOICED] = (sums[at + INVOICED] ?? 0) + amount;
      used[cell] = 1;
    }
    if (voided !== NO_DAY && voided < endDay && dated <= voided) scan.voidedSlots.push(slot);
    if ((dueDay[slot] ?? 0) >= ends.firstTo && dated <= ends.lastTo) {
      addCurrent(scan, slot, cell, dated, Math.min(dueDay[slot] ?? 0, voided - 1));
    }
  }
}

/**
 * Pass over the reductions: −amount on its date for each one dated before its invoice's void (one on or after the
 * void changes nothing), and C's reductions. Returns what each voided invoice had been reduced by before its void.
 */
function scanMovements(scan: Scan): Map<number, number> {
  const { ledger, ends, cellOf, current, cells, sums, used } = scan;
  const { mSlot, mDay, mKind, mAmount, mGeneration, generation, voidDay } = ledger;
  const { endDay, firstDay, slotOfDay, slots } = scan.bounds;
  const reducedBeforeVoid = new Map<number, number>();
  for (let m = 0; m < ledger.movementCount; m += 1) {
    const slot = mSlot[m] ?? 0;
    const cell = cellOf[slot] ?? -1;
    const day = mDay[m] ?? 0;
    if (cell < 0 || day >= endDay || mGeneration[m] !== generation[slot]) continue;
    const voided = voidDay[slot] ?? NO_DAY;
    if (day >= voided) continue;
    const amount = mAmount[m] ?? 0;
    if (voided !== NO_DAY) reducedBeforeVoid.set(slot, (reducedBeforeVoid.get(slot) ?? 0) + amount);
    // addAt(scan, cell, day, field, −amount), inlined: this runs for every reduction.
    const at = (cell * slots + (day < firstDay ? 0 : (slotOfDay[day - firstDay] ?? 0))) * FIELDS;
    const field = at + FIELD_OF_KIND(mKind[m] ?? 0);
    sums[at] = (sums[at] ?? 0) - amount;
    sums[field] = (sums[field] ?? 0) + amount;
    used[cell] = 1;
    const last = (scan.currentTo[slot] ?? 0) - 1;
    if (last < 0) continue;
    for (
      let k = Math.max((scan.currentFrom[slot] ?? 0) - 1, firstEndAtOrAfter(ends, day));
      k <= last;
      k += 1
    ) {
      const index = k * cells + cell;
      current[index] = (current[index] ?? 0) - amount;
    }
  }
  return reducedBeforeVoid;
}

/** Adds a movement of `amount` (signed, to the open amount) on `day` to a cell, and to the field it belongs to. */
function addAt(scan: Scan, cell: number, day: number, field: number, amount: number): void {
  const { bounds, sums } = scan;
  const slot = day < bounds.firstDay ? 0 : (bounds.slotOfDay[day - bounds.firstDay] ?? 0);
  const base = (cell * bounds.slots + slot) * FIELDS;
  sums[base] = (sums[base] ?? 0) + amount;
  // Invoicing adds to the open amount and to S; a reduction or void takes from the one and adds to the other.
  sums[base + field] = (sums[base + field] ?? 0) + (field === INVOICED ? amount : -amount);
  scan.used[cell] = 1;
}

/** −(what was still open) on the void date of each invoice voided before the last bound. */
function addVoids(scan: Scan, reducedBeforeVoid: Map<number, number>): void {
  const { ledger } = scan;
  for (const slot of scan.voidedSlots) {
    const open = (ledger.total[slot] ?? 0) - (reducedBeforeVoid.get(slot) ?? 0);
    addAt(scan, scan.cellOf[slot] ?? 0, ledger.voidDay[slot] ?? 0, VOIDED, -open);
  }
}

/** B, S, E, C and the period's reductions of each cell that saw anything, for every period. */
function rowsOf(scan: Scan, periods: readonly DayPeriod[], groups: Groups): BalanceRow[] {
  const { ledger, bounds, sums, cells } = scan;
  const currencies = ledger.currencies.length;
  const slotAfter = (day: number) => bounds.bounds.indexOf(day) + 1;
  const rows: BalanceRow[] = [];
  periods.forEach((period, idx) => {
    const firstSlot = slotAfter(period.fromDay);
    const endSlot = slotAfter(period.toDay + 1);
    for (let cell = 0; cell < cells; cell += 1) {
      if (scan.used[cell] !== 1) continue;
      // opening, ending, then invoiced … voided of the period
      const totals = new Float64Array(FIELDS + 1);
      for (let slot = 0; slot < endSlot; slot += 1) {
        const base = (cell * bounds.slots + slot) * FIELDS;
        const net = sums[base] ?? 0;
        totals[1] = (totals[1] ?? 0) + net;
        if (slot < firstSlot) totals[0] = (totals[0] ?? 0) + net;
        else {
          for (let field = 1; field < FIELDS; field += 1) {
            totals[field + 1] = (totals[field + 1] ?? 0) + (sums[base + field] ?? 0);
          }
        }
      }
      rows.push({
        idx,
        group_key: groups.keys[Math.floor(cell / currencies)] ?? '',
        currency: ledger.currencies[cell % currencies] ?? '',
        opening: toMinor(totals[0] ?? 0),
        invoiced: toMinor(totals[2] ?? 0),
        ending: toMinor(totals[1] ?? 0),
        ending_current: toMinor(scan.current[idx * cells + cell] ?? 0),
        received: toMinor(totals[3] ?? 0),
        credited: toMinor(totals[4] ?? 0),
        written_off: toMinor(totals[5] ?? 0),
        voided: toMinor(totals[6] ?? 0),
      });
    }
  });
  return rows;
}

/** Gross invoiced per month of each cell with any, the countback walk's input. */
function monthRowsOf(scan: Scan, groups: Groups): MonthRow[] {
  const { ledger, months } = scan;
  const currencies = ledger.currencies.length;
  const rows: MonthRow[] = [];
  for (let index = 0; index < months.sums.length; index += 1) {
    if (months.seen[index] !== 1) continue;
    const month = months.firstMonth + (index % months.count);
    const cell = Math.floor(index / months.count);
    rows.push({
      group_key: groups.keys[Math.floor(cell / currencies)] ?? '',
      currency: ledger.currencies[cell % currencies] ?? '',
      month: `${String(Math.floor(month / 12)).padStart(4, '0')}-${String((month % 12) + 1).padStart(2, '0')}`,
      invoiced: toMinor(months.sums[index] ?? 0),
    });
  }
  return rows;
}

export type MonthRow = { group_key: string; currency: string; month: string; invoiced: bigint };

/**
 * Balance totals of every period and cell (group × currency) as one stream of signed movements: +total on the
 * invoice date; −amount for each allocation and posted credit note dated before the invoice's void; −(what was
 * still open) on the void date. The open amount at the end of day d is the sum of the movements dated up to d, so
 * with the periods' bounds as slots B, S, E, received, credited, written off and voided of each period are sums of
 * slots, and B + S − E = received + credited + written off + voided by construction (reductions are dated on or
 * after their invoice's date, which the ledger enforces). C (open at `to` on invoices dated by `to`, due on or
 * after it and not voided by then) is summed in the same two passes, and so is the gross invoiced per month up to
 * the last period's end (voided invoices included), the countback walk's input.
 *
 * `periods` are in date order and do not overlap.
 */
export function scanBalances(
  view: LedgerView,
  periods: readonly DayPeriod[],
  groups: Groups,
): { balances: BalanceRow[]; months: MonthRow[] } {
  const { ledger } = view;
  const cells = groups.keys.length * ledger.currencies.length;
  const bounds = boundsOf(periods);
  const columns = workspaceFor(ledger.count);
  const scan: Scan = {
    ledger,
    bounds,
    ends: endsOf(periods),
    months: monthsOf(ledger, periods.at(-1)?.toDay ?? 0, cells),
    cells,
    sums: new Float64Array(cells * bounds.slots * FIELDS),
    current: new Float64Array(periods.length * cells),
    used: new Uint8Array(cells),
    ...columns,
    voidedSlots: [],
  };
  scanInvoices(scan, view, groups);
  addVoids(scan, scanMovements(scan));
  return { balances: rowsOf(scan, periods, groups), months: monthRowsOf(scan, groups) };
}

/**
 * Arrays for set-based statements (INSERT … SELECT FROM unnest(…)) written as PostgreSQL array literals. A batch of a
 * dunning run sends arrays of 20,000 elements; the driver would escape each element one by one, and ids, numbers and
 * dates have nothing to escape. The same text works on PostgreSQL and PGlite.
 */

/** Only for values that need no quoting in an array literal: uuids, numbers, dates, step kinds, currency codes. */
const PLAIN_ELEMENT = /^[0-9A-Za-z_-]+$/;

function plainElement(value: string | number | bigint): string {
  const element = typeof value === 'string' ? value : String(value);
  if (!PLAIN_ELEMENT.test(element)) throw new Error(`Not a plain array element: ${JSON.stringify(element)}`);
  return element;
}

/** Built in one pass, without intermediate arrays: a catch-up run writes a million elements. */
export function arrayLiteral(values: readonly (string | number | bigint)[]): string {
  let literal = '{';
  for (let index = 0; index < values.length; index += 1) {
    if (index > 0) literal += ',';
    literal += plainElement(values[index] ?? '');
  }
  return `${literal}}`;
}

/** Backslashes first, then quotes: two native passes, over twice as fast as one regular expression with a callback. */
function quoted(value: string): string {
  return `"${value.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;
}

/**
 * Any text as an array literal: every element quoted, backslashes and quotes escaped, null as NULL. Built here
 * rather than by the driver for the same reason as above, and the same text on PostgreSQL and PGlite.
 */
export function textArrayLiteral(values: readonly (string | null)[]): string {
  let literal = '{';
  for (let index = 0; index < values.length; index += 1) {
    if (index > 0) literal += ',';
    const value = values[index];
    literal += value === null || value === undefined ? 'NULL' : quoted(value);
  }
  return `${literal}}`;
}

/**
 * A ragged array of arrays, as PostgreSQL cannot hold one: a text array of array literals, one per row, that the
 * statement casts back (`g.ids::uuid[]`). `pick` reads each member of each row once.
 */
export function nestedArrayLiteral<T>(
  rows: readonly (readonly T[])[],
  pick: (member: T) => string | number | bigint,
): string {
  let literal = '{';
  for (let row = 0; row < rows.length; row += 1) {
    if (row > 0) literal += ',';
    literal += '"{';
    const members = rows[row] ?? [];
    for (let index = 0; index < members.length; index += 1) {
      if (index > 0) literal += ',';
      literal += plainElement(pick(members[index] as T));
    }
    literal += '}"';
  }
  return `${literal}}`;
}

/**
 * The same for text members (quoted and escaped twice: inside the row's literal, then inside the outer one); a null
 * row is a NULL array.
 */
export function nestedTextArrayLiteral<T>(
  rows: readonly (readonly T[] | null)[],
  pick: (member: T) => string | null,
): string {
  let literal = '{';
  for (let row = 0; row < rows.length; row += 1) {
    if (row > 0) literal += ',';
    const members = rows[row];
    if (!members) {
      literal += 'NULL';
      continue;
    }
    let inner = '{';
    for (let index = 0; index < members.length; index += 1) {
      if (index > 0) inner += ',';
      const value = pick(members[index] as T);
      inner += value === null ? 'NULL' : quoted(value);
    }
    literal += quoted(`${inner}}`);
  }
  return `${literal}}`;
}

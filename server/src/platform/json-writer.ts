/**
 * Writes JSON text straight into bytes, for the few answers that run to megabytes (a by-customer aging report is
 * 20,000 rows and 180,000 amounts). Building objects and strings for them and serialising those cost several times
 * what computing the figures did, most of it in the garbage collector; here an amount goes from an exact integer to
 * its decimal digits in the buffer with no string in between.
 *
 * The writer knows nothing of schemas: the use case writes the shape its zod contract describes, and its tests read
 * the bytes back through that contract.
 */
/** JSON text as UTF-8 bytes, for JsonWriter#bytes. */
export function encodeJson(json: string): Uint8Array {
  return new JsonWriter(json.length * 3).raw(json).toBuffer();
}

/** The most a `decimal` can write: quotes, sign, point and the 16 digits of a safe integer, with room to spare. */
const DECIMAL_BYTES = 28;

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

export class JsonWriter {
  private buffer: Uint8Array;
  private length = 0;
  private readonly digits = new Uint8Array(24);

  constructor(initialBytes = 64 * 1024) {
    this.buffer = new Uint8Array(Math.max(16, initialBytes));
  }

  private reserve(bytes: number): void {
    if (this.length + bytes <= this.buffer.length) return;
    const next = new Uint8Array(Math.max(this.buffer.length * 2, this.length + bytes));
    next.set(this.buffer.subarray(0, this.length));
    this.buffer = next;
  }

  /**
   * Makes room for about `bytes` more at once, for a writer that knows roughly how much it will write: growing by
   * doubling from 64 KB to a 6 MB answer allocates and copies twice the answer on the way.
   */
  expect(bytes: number): this {
    this.reserve(bytes);
    return this;
  }

  /**
   * JSON punctuation, keys with their colon and the like, as written (the caller's text is already JSON), encoded
   * to UTF-8 here: the pieces are short and many, and a call into Buffer#write per piece cost more than the loop.
   */
  raw(json: string): this {
    this.reserve(json.length * 3);
    const out = this.buffer;
    let at = this.length;
    for (let index = 0; index < json.length; index += 1) {
      const code = json.charCodeAt(index);
      if (code < 0x80) {
        out[at++] = code;
      } else if (code < 0x800) {
        out[at++] = 0xc0 | (code >> 6);
        out[at++] = 0x80 | (code & 0x3f);
      } else if (code >= 0xd800 && code <= 0xdbff && isLowSurrogate(json.charCodeAt(index + 1))) {
        const point = 0x10000 + ((code - 0xd800) << 10) + (json.charCodeAt(index + 1) - 0xdc00);
        index += 1;
        out[at++] = 0xf0 | (point >> 18);
        out[at++] = 0x80 | ((point >> 12) & 0x3f);
        out[at++] = 0x80 | ((point >> 6) & 0x3f);
        out[at++] = 0x80 | (point & 0x3f);
      } else {
        // A lone surrogate cannot be encoded: U+FFFD, as Buffer and TextEncoder do (JSON.stringify escapes them).
        const unit = code >= 0xd800 && code <= 0xdfff ? 0xfffd : code;
        out[at++] = 0xe0 | (unit >> 12);
        out[at++] = 0x80 | ((unit >> 6) & 0x3f);
        out[at++] = 0x80 | (unit & 0x3f);
      }
    }
    this.length = at;
    return this;
  }

  /** Bytes encoded before (see `encodeJson`): pieces written again and again, such as a row's keys. */
  bytes(chunk: Uint8Array): this {
    this.reserve(chunk.length);
    const out = this.buffer;
    if (chunk.length > 24) {
      // Native copy pays off beyond a couple of dozen bytes (a row head); below, its call costs more than a loop.
      out.set(chunk, this.length);
      this.length += chunk.length;
      return this;
    }
    let at = this.length;
    for (let index = 0; index < chunk.length; index += 1) out[at++] = chunk[index] ?? 0;
    this.length = at;
    return this;
  }

  /** A JSON string value, quoted and escaped, in UTF-8. */
  string(value: string): this {
    return this.raw(JSON.stringify(value));
  }

  /** `null` or a JSON string. */
  stringOrNull(value: string | null): this {
    return value === null ? this.raw('null') : this.string(value);
  }

  /**
   * An amount of minor units as the quoted exact decimal the API uses everywhere (minorToDecimalString's text:
   * "-1234.05", "0.00", "12" without decimals). `amountMinor` must be an exact integer (the ledger copy's sums are;
   * anything else is a bug and throws rather than printing a rounded figure).
   */
  decimal(amountMinor: number, exponent: number): this {
    this.reserve(DECIMAL_BYTES);
    this.length = this.putDecimal(this.length, amountMinor, exponent);
    return this;
  }

  /**
   * `{"key":"amount",…}`: the amounts `cells[offset]`, `cells[offset + 1]`, … under `keys` (each `"key":` as
   * encodeJson bytes), as `decimal` writes them. A report row's columns: one call and one check for room per row
   * instead of one per key and one per amount (a by-customer aging writes 160,000 of them).
   */
  amounts(keys: readonly Uint8Array[], cells: Float64Array, offset: number, exponent: number): this {
    // Missing money is an error, never zero: a row that runs past the cells is a caller's bug.
    if (offset < 0 || offset + keys.length > cells.length) {
      throw new Error(
        `JSON writer: amounts ${offset}..${offset + keys.length} lie outside ${cells.length} cells`,
      );
    }
    let room = 2;
    for (const key of keys) room += key.length + DECIMAL_BYTES + 1;
    this.reserve(room);
    const out = this.buffer;
    let at = this.length;
    out[at++] = 0x7b; // {
    for (let index = 0; index < keys.length; index += 1) {
      if (index > 0) out[at++] = 0x2c; // ,
      const key = keys[index] as Uint8Array;
      for (let byte = 0; byte < key.length; byte += 1) out[at++] = key[byte] ?? 0;
      at = this.putDecimal(at, cells[offset + index] as number, exponent);
    }
    out[at++] = 0x7d; // }
    this.length = at;
    return this;
  }

  /** Writes `decimal`'s text at `at` (room checked by the caller) and answers where it ends. */
  private putDecimal(start: number, amountMinor: number, exponent: number): number {
    if (!Number.isSafeInteger(amountMinor)) {
      throw new Error(`JSON writer: amount ${amountMinor} is not an exact integer`);
    }
    const out = this.buffer;
    let at = start;
    out[at++] = 0x22; // "
    if (amountMinor < 0) out[at++] = 0x2d; // -
    const magnitude = amountMinor < 0 ? -amountMinor : amountMinor;
    // Digits from the last, in int32 arithmetic (a double's % is several times slower): an amount beyond 2^31 is
    // split once into its low nine digits and the rest, which then fits.
    let count: number;
    if (magnitude <= 0x7fffffff) {
      count = this.pushDigits(magnitude | 0, exponent + 1, 0);
    } else {
      const low = magnitude % 1e9;
      count = this.pushDigits(low | 0, 9, 0);
      count = this.pushDigits(((magnitude - low) / 1e9) | 0, 1, count);
    }
    while (count > 0) {
      if (count === exponent) out[at++] = 0x2e; // .
      out[at++] = this.digits[--count] ?? 0x30;
    }
    out[at++] = 0x22;
    return at;
  }

  /** Pushes the decimal digits of a non-negative int32, last first, at least `minimum` of them (leading zeros). */
  private pushDigits(value: number, minimum: number, from: number): number {
    let rest = value;
    let count = from;
    const end = from + minimum;
    do {
      const quotient = (rest / 10) | 0;
      this.digits[count++] = 0x30 + rest - quotient * 10;
      rest = quotient;
    } while (rest > 0 || count < end);
    return count;
  }

  /** The JSON text written (a view of the writer's buffer: write nothing more after taking it). */
  toBuffer(): Buffer {
    return Buffer.from(this.buffer.buffer, this.buffer.byteOffset, this.length);
  }
}

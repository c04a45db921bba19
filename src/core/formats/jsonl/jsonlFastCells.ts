// The cells of a JSON Lines record read straight from its UTF-8 bytes, for scans and windows; anything unusual is left to JSON.parse.
import type { TextColumnBuilder } from '../columns';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const COMMA = 0x2c;
const OPEN = 0x7b;
const CLOSE = 0x7d;
const OPEN_LIST = 0x5b;
const CLOSE_LIST = 0x5d;
const MINUS = 0x2d;
const DOT = 0x2e;

// what a selected field holds after a line is read: nothing (absent or null), a byte span, a text, or a number that
// is its written span in a line that holds a nested value or a long integer, and its text in any other line
const NONE = 0;
const SPAN = 1;
const TEXT = 2;
const NUMBER_TEXT = 3;
/** Nested values deeper than this are left to JSON.parse. */
const MAX_DEPTH = 64;

const TRUE = [0x74, 0x72, 0x75, 0x65];
const FALSE = [0x66, 0x61, 0x6c, 0x73, 0x65];
const NULL = [0x6e, 0x75, 0x6c, 0x6c];
/** The JSON number grammar. */
const NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

const latin1 = new TextDecoder('latin1');
const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Reads the cells of one JSON Lines record without JSON.parse and without a string per value: a string with no
 * escape is copied byte for byte into its column, and so is a number whose text is the one `String(value)` gives,
 * and a nested value as written.
 *
 * It takes only what it can give exactly as `recordCells` gives it, which keeps the written text of every top-level
 * value of a line holding a nested value or an integer past 2^53 (for its non-integers too). It declines a line
 * (returning false, having added nothing) with a key written twice or with an escape or a non-ASCII byte, values
 * nested more than 64 deep, bytes that are no UTF-8, or anything JSON.parse would refuse: that line then goes through
 * JSON.parse as before.
 */
export class JsonlFastCells {
  /** Each known key's bytes; its slot among the fields read (-1: a field not read). */
  private readonly keys: Uint8Array[];
  private readonly slotOf: Int32Array;
  /** Known keys by byte length, for the key that was not where the last line had it. */
  private readonly byLength = new Map<number, number[]>();
  /** The known key found at each member position of the last line, tried first. */
  private order: number[] = [];
  /** The line each known key was last seen on (a key written twice is left to JSON.parse: the last one wins). */
  private readonly seen: Int32Array;
  private serial = 0;
  private readonly kind: Uint8Array;
  private readonly start: Int32Array;
  private readonly end: Int32Array;
  private readonly text: (string | null)[];
  /** False when a field is read twice (each slot is filled once): every line then goes through JSON.parse. */
  private readonly usable: boolean;
  /** Set by stringEnd: the string held an escape. */
  private escaped = false;
  /** The line holds a nested value or an integer past 2^53: its numbers keep their written text. */
  private written = false;
  /** Where the keys outside the known ones start and end in the line being read. */
  private readonly unknown: number[] = [];

  /**
   * `names`: the fields to read, in output order; `json[i]`: field i holds JSON text (a string keeps its quotes);
   * `known`: every field of the dataset (a key outside them goes to `onUnknownKey`).
   */
  constructor(names: readonly string[], private readonly json: readonly boolean[], known: Iterable<string>) {
    const encoder = new TextEncoder();
    const all = [...new Set([...known, ...names])];
    this.keys = all.map(k => encoder.encode(k));
    this.slotOf = new Int32Array(all.length).fill(-1);
    names.forEach((n, slot) => { this.slotOf[all.indexOf(n)] = slot; });
    this.keys.forEach((k, i) => {
      const list = this.byLength.get(k.length) ?? [];
      list.push(i);
      this.byLength.set(k.length, list);
    });
    this.seen = new Int32Array(all.length).fill(-1);
    this.kind = new Uint8Array(names.length);
    this.start = new Int32Array(names.length);
    this.end = new Int32Array(names.length);
    this.text = new Array<string | null>(names.length).fill(null);
    this.usable = new Set(names).size === names.length;
  }

  /**
   * Adds the line's cells to `builders` (one per field read) and returns true, or returns false having added nothing.
   * `onUnknownKey` hears each key outside the known ones, once the line is read.
   */
  add(b: Uint8Array, builders: TextColumnBuilder[], onUnknownKey: (key: string) => void): boolean {
    if (!this.usable || !this.read(b)) { return false; }
    for (let k = 0; k < this.unknown.length; k += 2) { onUnknownKey(latin1.decode(b.subarray(this.unknown[k], this.unknown[k + 1]))); }
    for (let s = 0; s < builders.length; s++) {
      const k = this.kind[s];
      if (k === SPAN || (k === NUMBER_TEXT && this.written)) {
        builders[s].pushSpan(b, this.start[s], this.end[s]);
      } else if (k === TEXT || k === NUMBER_TEXT) {
        builders[s].push(this.text[s]);
      } else {
        builders[s].push(null);
      }
    }
    return true;
  }

  private read(b: Uint8Array): boolean {
    const line = ++this.serial;
    this.kind.fill(NONE);
    this.written = false;
    this.unknown.length = 0;
    const n = b.length;
    let i = space(b, 0);
    if (b[i] !== OPEN) { return false; }
    i = space(b, i + 1);
    if (b[i] === CLOSE) { return space(b, i + 1) === n; }
    for (let member = 0; ; member++) {
      // the key: plain ASCII, no escape
      if (b[i] !== QUOTE) { return false; }
      const ks = i + 1;
      let ke = ks;
      for (; ke < n; ke++) {
        const c = b[ke];
        if (c === QUOTE) { break; }
        if (c === BACKSLASH || c < 0x20 || c >= 0x80) { return false; }
      }
      if (ke >= n) { return false; }
      const key = this.keyAt(b, ks, ke, member);
      if (key >= 0) {
        if (this.seen[key] === line) { return false; }
        this.seen[key] = line;
      } else {
        // a key outside the known ones written twice: the last one wins, which may change how the line is written
        for (let u = 0; u < this.unknown.length; u += 2) {
          if (sameSpan(b, this.unknown[u], this.unknown[u + 1], ks, ke)) { return false; }
        }
        this.unknown.push(ks, ke);
      }
      i = space(b, ke + 1);
      if (b[i] !== COLON) { return false; }
      i = space(b, i + 1);
      const slot = key >= 0 ? this.slotOf[key] : -1;
      const next = this.value(b, i, slot);
      if (next < 0) { return false; }
      i = space(b, next);
      if (b[i] === COMMA) {
        i = space(b, i + 1);
        continue;
      }
      if (b[i] !== CLOSE) { return false; }
      return space(b, i + 1) === n;
    }
  }

  /** The known key b[s, e) (-1: none), looked for first where the last line had its member `member`. */
  private keyAt(b: Uint8Array, s: number, e: number, member: number): number {
    const guess = this.order[member];
    if (guess !== undefined && same(this.keys[guess], b, s, e)) { return guess; }
    for (const k of this.byLength.get(e - s) ?? []) {
      if (same(this.keys[k], b, s, e)) {
        this.order[member] = k;
        return k;
      }
    }
    return -1;
  }

  /** Reads the value at b[i] into `slot` (-1: a field not read); returns the index after it, or -1 to decline the line. */
  private value(b: Uint8Array, i: number, slot: number): number {
    const c = b[i];
    if (c === QUOTE) {
      const e = this.stringEnd(b, i + 1);
      if (e < 0) { return -1; }
      if (slot >= 0) {
        const quoted = this.json[slot];
        if (this.escaped) {
          let v: string;
          try {
            v = JSON.parse(utf8.decode(b.subarray(i, e + 1))) as string;
          } catch {
            return -1;
          }
          this.set(slot, quoted ? JSON.stringify(v) : v);
        } else {
          this.span(slot, quoted ? i : i + 1, quoted ? e + 1 : e);
        }
      }
      return e + 1;
    }
    if (c === MINUS || (c >= 0x30 && c <= 0x39)) {
      let e = i + 1;
      while (e < b.length && isNumberByte(b[e])) { e++; }
      const canonical = canonicalNumber(b, i, e);
      if (canonical) {
        if (slot >= 0) { this.span(slot, i, e); }
        return e;
      }
      const written = latin1.decode(b.subarray(i, e));
      if (!NUMBER.test(written)) { return -1; }
      const v = Number(written);
      if (Number.isInteger(v) && !Number.isSafeInteger(v)) {
        // an integer past 2^53 keeps its written digits, and makes the line's other numbers keep theirs
        this.written = true;
        if (slot >= 0) { this.span(slot, i, e); }
      } else if (slot >= 0) {
        this.set(slot, String(v));
        if (!Number.isInteger(v)) {
          this.kind[slot] = NUMBER_TEXT;
          this.start[slot] = i;
          this.end[slot] = e;
        }
      }
      return e;
    }
    if (c === 0x74) { return this.word(b, i, TRUE, slot); }
    if (c === 0x66) { return this.word(b, i, FALSE, slot); }
    if (c === 0x6e) { return matches(b, i, NULL) ? i + NULL.length : -1; }
    if (c === OPEN || c === OPEN_LIST) {
      const e = this.nested(b, i, 1);
      if (e < 0) { return -1; }
      this.written = true;
      if (slot >= 0) { this.span(slot, i, e); }
      return e;
    }
    return -1;
  }

  /** The index after the object or array at b[i], checked as JSON.parse checks it, or -1. */
  private nested(b: Uint8Array, i: number, depth: number): number {
    if (depth > MAX_DEPTH) { return -1; }
    const object = b[i] === OPEN;
    const close = object ? CLOSE : CLOSE_LIST;
    i = space(b, i + 1);
    if (b[i] === close) { return i + 1; }
    for (;;) {
      if (object) {
        if (b[i] !== QUOTE) { return -1; }
        const ke = this.stringEnd(b, i + 1);
        if (ke < 0) { return -1; }
        i = space(b, ke + 1);
        if (b[i] !== COLON) { return -1; }
        i = space(b, i + 1);
      }
      i = this.skip(b, i, depth);
      if (i < 0) { return -1; }
      i = space(b, i);
      if (b[i] === COMMA) {
        i = space(b, i + 1);
        continue;
      }
      return b[i] === close ? i + 1 : -1;
    }
  }

  /** The index after the JSON value at b[i] inside a nested value, or -1. */
  private skip(b: Uint8Array, i: number, depth: number): number {
    const c = b[i];
    if (c === QUOTE) {
      const e = this.stringEnd(b, i + 1);
      return e < 0 ? -1 : e + 1;
    }
    if (c === OPEN || c === OPEN_LIST) { return this.nested(b, i, depth + 1); }
    if (c === MINUS || (c >= 0x30 && c <= 0x39)) {
      let e = i + 1;
      while (e < b.length && isNumberByte(b[e])) { e++; }
      return canonicalNumber(b, i, e) || NUMBER.test(latin1.decode(b.subarray(i, e))) ? e : -1;
    }
    if (c === 0x74) { return matches(b, i, TRUE) ? i + TRUE.length : -1; }
    if (c === 0x66) { return matches(b, i, FALSE) ? i + FALSE.length : -1; }
    if (c === 0x6e) { return matches(b, i, NULL) ? i + NULL.length : -1; }
    return -1;
  }

  /**
   * The index of the quote closing the string whose content starts at `i`, or -1 when it is no JSON string of
   * well-formed UTF-8 (a control byte, a bad escape or byte sequence, no closing quote). Sets `escaped`.
   */
  private stringEnd(b: Uint8Array, i: number): number {
    this.escaped = false;
    const n = b.length;
    while (i < n) {
      const c = b[i];
      if (c === QUOTE) { return i; }
      if (c === BACKSLASH) {
        this.escaped = true;
        const d = b[i + 1];
        if (d === 0x75) { // \uXXXX
          for (let k = 2; k < 6; k++) { if (!isHex(b[i + k])) { return -1; } }
          i += 6;
          continue;
        }
        if (d !== QUOTE && d !== BACKSLASH && d !== 0x2f && d !== 0x62 && d !== 0x66 && d !== 0x6e && d !== 0x72 && d !== 0x74) { return -1; }
        i += 2;
        continue;
      }
      if (c < 0x20) { return -1; }
      if (c < 0x80) {
        i++;
        continue;
      }
      const len = utf8Length(b, i);
      if (len === 0) { return -1; }
      i += len;
    }
    return -1;
  }

  private word(b: Uint8Array, i: number, word: readonly number[], slot: number): number {
    if (!matches(b, i, word)) { return -1; }
    if (slot >= 0) { this.span(slot, i, i + word.length); }
    return i + word.length;
  }

  private span(slot: number, s: number, e: number): void {
    this.kind[slot] = SPAN;
    this.start[slot] = s;
    this.end[slot] = e;
  }

  private set(slot: number, text: string): void {
    this.kind[slot] = TEXT;
    this.text[slot] = text;
  }
}

/** The length of the well-formed UTF-8 sequence of 2-4 bytes at b[i] (no overlong form, no surrogate), or 0. */
function utf8Length(b: Uint8Array, i: number): number {
  const c = b[i];
  const cont = (k: number): boolean => i + k < b.length && (b[i + k] & 0xc0) === 0x80;
  if (c >= 0xc2 && c <= 0xdf) { return cont(1) ? 2 : 0; }
  if (c >= 0xe0 && c <= 0xef) {
    if (!cont(1) || !cont(2)) { return 0; }
    const d = b[i + 1];
    if ((c === 0xe0 && d < 0xa0) || (c === 0xed && d >= 0xa0)) { return 0; }
    return 3;
  }
  if (c >= 0xf0 && c <= 0xf4) {
    if (!cont(1) || !cont(2) || !cont(3)) { return 0; }
    const d = b[i + 1];
    if ((c === 0xf0 && d < 0x90) || (c === 0xf4 && d >= 0x90)) { return 0; }
    return 4;
  }
  return 0;
}

function isHex(c: number | undefined): boolean {
  return c !== undefined && ((c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66));
}

function isNumberByte(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || c === DOT || c === MINUS || c === 0x2b || c === 0x65 || c === 0x45;
}

/**
 * True when b[s, e) is a number written as `String(value)` writes it: `-?(0|[1-9]d*)(.d*[1-9])?` with at most 15
 * significant digits (so the value's shortest form has those digits), no exponent, not -0, and no fraction so
 * small that it is written with an exponent (below 1e-6).
 */
function canonicalNumber(b: Uint8Array, s: number, e: number): boolean {
  let i = s;
  if (b[i] === MINUS) { i++; }
  const intStart = i;
  if (i >= e) { return false; }
  if (b[i] === 0x30) {
    i++;
  } else {
    while (i < e && b[i] >= 0x30 && b[i] <= 0x39) { i++; }
  }
  const intDigits = i - intStart;
  const zeroInt = intDigits === 1 && b[intStart] === 0x30;
  if (i === e) { return intDigits <= 15 && !(zeroInt && s !== intStart); } // -0 is written 0
  if (b[i] !== DOT) { return false; }
  const fracStart = ++i;
  while (i < e && b[i] >= 0x30 && b[i] <= 0x39) { i++; }
  if (i !== e || i === fracStart || b[e - 1] === 0x30) { return false; } // an exponent, no digits, or a trailing zero
  if (!zeroInt) { return intDigits + (e - fracStart) <= 15; }
  let z = fracStart;
  while (b[z] === 0x30) { z++; }
  return z - fracStart <= 5 && e - z <= 15;
}

function space(b: Uint8Array, i: number): number {
  while (i < b.length) {
    const c = b[i];
    if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) { break; }
    i++;
  }
  return i;
}

function same(key: Uint8Array, b: Uint8Array, s: number, e: number): boolean {
  if (key.length !== e - s) { return false; }
  for (let k = 0; k < key.length; k++) {
    if (key[k] !== b[s + k]) { return false; }
  }
  return true;
}

function sameSpan(b: Uint8Array, s1: number, e1: number, s2: number, e2: number): boolean {
  if (e1 - s1 !== e2 - s2) { return false; }
  for (let k = 0; k < e1 - s1; k++) {
    if (b[s1 + k] !== b[s2 + k]) { return false; }
  }
  return true;
}

function matches(b: Uint8Array, i: number, word: readonly number[]): boolean {
  for (let k = 0; k < word.length; k++) {
    if (b[i + k] !== word[k]) { return false; }
  }
  return true;
}

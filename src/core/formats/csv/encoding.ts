// Text encoding of delimited files: BOMs, UTF-8 validity, the windows-1252 fallback, and refusing binary files.
import type { DatasetWarning } from '../dataset';
import { DatasetError } from '../errors';

/**
 * - `utf-8`: UTF-8 (or plain ASCII), with or without a BOM.
 * - `utf-16le` / `utf-16be`: recognised by their BOM; Strata transcodes them to UTF-8 as it reads.
 * - `windows-1252`: bytes that are not valid UTF-8; every byte is one character.
 */
export type CsvEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';

export interface EncodingInfo {
  encoding: CsvEncoding;
  /** Bytes of byte-order mark at the start of the file (skipped, never shown). */
  bomLength: number;
  /** Set when the file had to be read as windows-1252. */
  warning?: DatasetWarning;
}

/** How many leading bytes the binary check looks at. */
export const BINARY_CHECK_BYTES = 8192;

/** File signatures of formats people rename to .csv by mistake, for a more helpful message. */
const SIGNATURES: { bytes: number[]; what: string }[] = [
  { bytes: [0x50, 0x4b, 0x03, 0x04], what: 'a zip archive (an Excel .xlsx workbook is one)' },
  { bytes: [0xd0, 0xcf, 0x11, 0xe0], what: 'an old Excel .xls workbook' },
  { bytes: [0x50, 0x41, 0x52, 0x31], what: 'a Parquet file' },
  { bytes: [0x41, 0x52, 0x52, 0x4f, 0x57, 0x31], what: 'an Arrow IPC file' },
  { bytes: [0x25, 0x50, 0x44, 0x46], what: 'a PDF document' },
  { bytes: [0x89, 0x50, 0x4e, 0x47], what: 'a PNG image' },
  { bytes: [0xff, 0xd8, 0xff], what: 'a JPEG image' },
  { bytes: [0x53, 0x51, 0x4c, 0x69, 0x74, 0x65], what: 'an SQLite database' },
  { bytes: [0x28, 0xb5, 0x2f, 0xfd], what: 'zstd-compressed data' },
  { bytes: [0x42, 0x5a, 0x68], what: 'bzip2-compressed data' },
  { bytes: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], what: 'xz-compressed data' },
];

function startsWith(bytes: Uint8Array, sig: readonly number[]): boolean {
  if (bytes.length < sig.length) { return false; }
  for (let i = 0; i < sig.length; i++) { if (bytes[i] !== sig[i]) { return false; } }
  return true;
}

export function hasGzipMagic(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * Refuses bytes that are not text: a NUL byte or many control characters in the first KBs,
 * or the signature of a known binary format. (Call on UTF-8/8-bit bytes, after any UTF-16 BOM check.)
 */
export function assertNotBinary(head: Uint8Array, name: string): void {
  for (const s of SIGNATURES) {
    if (startsWith(head, s.bytes)) {
      throw new DatasetError('binary', `${name} looks like a binary file, not delimited text (it looks like ${s.what})`);
    }
  }
  const n = Math.min(head.length, BINARY_CHECK_BYTES);
  let control = 0;
  for (let i = 0; i < n; i++) {
    const b = head[i];
    if (b === 0) { throw new DatasetError('binary', `${name} looks like a binary file, not delimited text (it contains NUL bytes)`); }
    // Tab, LF, VT, FF, CR and ESC appear in text; other C0 controls do not.
    if (b < 0x20 && !(b >= 0x09 && b <= 0x0d) && b !== 0x1b) { control++; }
  }
  if (n > 0 && control / n > 0.1) {
    throw new DatasetError('binary', `${name} looks like a binary file, not delimited text (${Math.round(100 * control / n)}% control characters)`);
  }
}

/** Whether `bytes` is valid UTF-8, ignoring a multi-byte sequence cut off at the end when the sample is not the whole file. */
export function isValidUtf8(bytes: Uint8Array, complete: boolean): boolean {
  let end = bytes.length;
  if (!complete) {
    // Back up over a sequence the sample cut in half (at most 3 continuation bytes after a lead byte).
    let i = end - 1;
    let k = 0;
    while (i >= 0 && k < 3 && (bytes[i] & 0xc0) === 0x80) { i--; k++; }
    if (i >= 0 && bytes[i] >= 0xc0) {
      const need = bytes[i] >= 0xf0 ? 3 : bytes[i] >= 0xe0 ? 2 : 1;
      if (k < need) { end = i; }
    }
  }
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, end));
    return true;
  } catch {
    return false;
  }
}

/**
 * Detects the encoding of a delimited text file from its first bytes (`head`), and refuses binary files.
 * `complete` says whether `head` is the whole file.
 */
export function detectEncoding(head: Uint8Array, complete: boolean, name: string): EncodingInfo {
  if (head.length >= 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) {
    assertNotBinary(head.subarray(3), name);
    return { encoding: 'utf-8', bomLength: 3 };
  }
  if (head.length >= 2 && head[0] === 0xff && head[1] === 0xfe) { return { encoding: 'utf-16le', bomLength: 2 }; }
  if (head.length >= 2 && head[0] === 0xfe && head[1] === 0xff) { return { encoding: 'utf-16be', bomLength: 2 }; }
  assertNotBinary(head, name);
  if (isValidUtf8(head, complete)) { return { encoding: 'utf-8', bomLength: 0 }; }
  return {
    encoding: 'windows-1252',
    bomLength: 0,
    warning: {
      code: 'encoding',
      message: `${name} is not valid UTF-8; it was read as windows-1252 (Western European). Check accented characters.`,
    },
  };
}

export interface ByteDecoder {
  decode(bytes?: Uint8Array, options?: { stream?: boolean }): string;
}

/** A decoder for the 8-bit side of the pipeline: UTF-8 (what UTF-16 is transcoded to) or windows-1252. */
export function byteTextDecoder(encoding: CsvEncoding): ByteDecoder {
  // ignoreBOM: Strata skips the BOM by offset, so a decode that starts mid-file never eats a real U+FEFF.
  if (encoding !== 'windows-1252') { return new TextDecoder('utf-8', { ignoreBOM: true }); }
  const d = new TextDecoder('windows-1252', { ignoreBOM: true });
  // Node 20 decodes windows-1252 as Latin-1 (0x80-0x9F wrong: 0x80 is not €) unless streaming; a
  // single-byte encoding carries no state between calls, so always streaming is exact.
  return { decode: (bytes?: Uint8Array) => (bytes && bytes.length ? d.decode(bytes, { stream: true }) : '') };
}

/** Where `bytes` can be cut without splitting a UTF-8 sequence (its length when the end is complete). */
export function utf8Cut(bytes: Uint8Array): number {
  const len = bytes.length;
  let i = len - 1;
  let k = 0;
  while (i >= 0 && k < 3 && (bytes[i] & 0xc0) === 0x80) { i--; k++; }
  if (i < 0) { return len; }
  const b = bytes[i];
  const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
  return len - i < need ? i : len;
}

const EMPTY = new Uint8Array(0);

/**
 * Decodes a byte stream piece by piece like `decode(bytes, { stream: true })`, but through Node's
 * fast non-streaming path (about 6x faster, and compact one-byte strings for ASCII): a UTF-8
 * sequence cut at the end of a piece is carried to the next. Keep pieces under 128 KB: V8 puts
 * larger strings in its large-object space, which costs about 30x more per byte.
 */
export class PieceDecoder {
  private readonly decoder: ByteDecoder;
  private readonly utf8: boolean;
  private carry: Uint8Array = EMPTY;

  constructor(encoding: CsvEncoding) {
    this.decoder = byteTextDecoder(encoding);
    this.utf8 = encoding !== 'windows-1252';
  }

  decode(bytes: Uint8Array, final: boolean): string {
    if (!this.utf8) { return bytes.length ? this.decoder.decode(bytes) : ''; }
    let head = '';
    if (this.carry.length) {
      // Complete the carried sequence with the continuation bytes that start this piece.
      let k = 0;
      while (k < 3 && k < bytes.length && (bytes[k] & 0xc0) === 0x80) { k++; }
      const joined = new Uint8Array(this.carry.length + k);
      joined.set(this.carry);
      joined.set(bytes.subarray(0, k), this.carry.length);
      bytes = bytes.subarray(k);
      if (!final && bytes.length === 0 && utf8Cut(joined) < joined.length) { this.carry = joined; return ''; }
      this.carry = EMPTY;
      head = this.decoder.decode(joined);
    }
    const cut = final ? bytes.length : utf8Cut(bytes);
    if (cut < bytes.length) { this.carry = bytes.slice(cut); }
    const body = cut > 0 ? this.decoder.decode(bytes.subarray(0, cut)) : '';
    return head ? head + body : body;
  }
}

// Reads JSON Lines forward from any byte offset: one non-blank physical line at a time, with its line number and byte range.
import type { AsyncBuffer } from '../asyncBuffer';
import { DatasetError, throwIfAborted } from '../errors';

/** One line longer than this is refused rather than buffered without bound. */
export const MAX_LINE_BYTES = 64 * 1024 * 1024;
const NEWLINE = 10;

export interface Line {
  /** 1-based physical line number. */
  line: number;
  start: number;
  /** End of the line's content (before `\r\n` / `\n`). */
  end: number;
  /** Where the next line starts. */
  next: number;
  bytes: Uint8Array;
}

/** A line holding only spaces, tabs or `\r` is blank and is not a row. */
export function isBlank(bytes: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const b = bytes[i];
    if (b !== 32 && b !== 9 && b !== 13) { return false; }
  }
  return true;
}

export class LineReader {
  private buf: Uint8Array = new Uint8Array(0);
  /** The two buffers reads take turns in: the one `buf` views the start of, and the other. */
  private current: Uint8Array = this.buf;
  private spare: Uint8Array | undefined;
  /** File offset of buf[0]. */
  private bufStart: number;
  private pos = 0;
  private line: number;

  constructor(
    private readonly buffer: AsyncBuffer,
    offset: number,
    firstLine: number,
    private readonly chunkBytes = 256 * 1024,
    private readonly signal?: AbortSignal,
  ) {
    this.bufStart = offset;
    this.line = firstLine;
  }

  /** File offset of the next unread byte. */
  get offset(): number { return this.bufStart + this.pos; }
  /** Physical line number of the next unread line. */
  get nextLine(): number { return this.line; }

  /** The next non-blank line, or null at the end of the file. */
  async next(): Promise<Line | null> {
    for (;;) {
      const nl = this.buf.indexOf(NEWLINE, this.pos);
      const eof = this.bufStart + this.buf.length >= this.buffer.byteLength;
      if (nl < 0 && !eof) {
        await this.fill();
        continue;
      }
      if (nl < 0 && this.pos >= this.buf.length) { return null; }
      const start = this.pos;
      const lineEnd = nl < 0 ? this.buf.length : nl;
      const end = lineEnd > start && this.buf[lineEnd - 1] === 13 ? lineEnd - 1 : lineEnd;
      this.pos = nl < 0 ? this.buf.length : nl + 1;
      const line = this.line++;
      if (isBlank(this.buf, start, end)) { continue; }
      return {
        line,
        start: this.bufStart + start,
        end: this.bufStart + end,
        next: this.bufStart + this.pos,
        bytes: this.buf.subarray(start, end),
      };
    }
  }

  private async fill(): Promise<void> {
    throwIfAborted(this.signal);
    const keep = this.buf.subarray(this.pos);
    if (keep.length > MAX_LINE_BYTES) {
      throw new DatasetError('too-large', `line ${this.line} is longer than ${MAX_LINE_BYTES / (1024 * 1024)} MB`);
    }
    const from = this.bufStart + this.buf.length;
    // grow the read with the pending line so a very long line costs a few reads, not thousands
    const size = Math.min(Math.max(this.chunkBytes, keep.length), this.buffer.byteLength - from);
    // two buffers take turns: the pending line moves to the other one and the read lands after it, so a long scan
    // allocates nothing per read (the lines handed out before the last read are done with by now)
    let next = this.spare;
    if (!next || next.length < keep.length + size) { next = new Uint8Array(keep.length + size); }
    this.spare = this.current;
    this.current = next;
    next.set(keep);
    let got: number;
    if (this.buffer.readInto) {
      got = await this.buffer.readInto(next.subarray(keep.length, keep.length + size), from);
    } else {
      const chunk = new Uint8Array(await this.buffer.slice(from, from + size));
      next.set(chunk, keep.length);
      got = chunk.length;
    }
    if (got === 0) { throw new DatasetError('io', 'the file ended early while reading'); }
    this.bufStart += this.pos;
    this.buf = next.subarray(0, keep.length + got);
    this.pos = 0;
  }
}

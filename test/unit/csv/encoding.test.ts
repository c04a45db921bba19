import { describe, expect, it } from 'vitest';
import { byteTextDecoder, detectEncoding, isValidUtf8 } from '../../../src/core/formats/csv/encoding';
import { isDatasetError } from '../../../src/core/formats/errors';

const bytes = (...b: number[]): Uint8Array => new Uint8Array(b);
const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

function refusal(head: Uint8Array): string {
  try {
    detectEncoding(head, true, 'data.csv');
  } catch (e) {
    if (isDatasetError(e)) { return `${e.code}: ${e.message}`; }
    throw e;
  }
  return 'accepted';
}

describe('detectEncoding', () => {
  it('reads BOMs', () => {
    expect(detectEncoding(bytes(0xef, 0xbb, 0xbf, 0x61), true, 'f')).toEqual({ encoding: 'utf-8', bomLength: 3 });
    expect(detectEncoding(bytes(0xff, 0xfe, 0x61, 0x00), true, 'f')).toEqual({ encoding: 'utf-16le', bomLength: 2 });
    expect(detectEncoding(bytes(0xfe, 0xff, 0x00, 0x61), true, 'f')).toEqual({ encoding: 'utf-16be', bomLength: 2 });
  });

  it('takes valid UTF-8 without a BOM as UTF-8', () => {
    expect(detectEncoding(utf8('a,b\ncafé,日本\n'), true, 'f')).toEqual({ encoding: 'utf-8', bomLength: 0 });
  });

  it('falls back to windows-1252 with a warning when the bytes are not UTF-8', () => {
    const r = detectEncoding(bytes(0x63, 0x61, 0x66, 0xe9, 0x0a), true, 'f.csv');
    expect(r.encoding).toBe('windows-1252');
    expect(r.warning?.code).toBe('encoding');
    expect(r.warning?.message).toContain('f.csv');
  });

  it('does not mistake a multi-byte character cut at the end of a sample for bad UTF-8', () => {
    const whole = utf8('ab日');
    const cut = whole.subarray(0, whole.length - 1);
    expect(isValidUtf8(cut, false)).toBe(true);
    expect(isValidUtf8(cut, true)).toBe(false);
    expect(detectEncoding(cut, false, 'f').encoding).toBe('utf-8');
  });

  it('refuses binary files with a clear message', () => {
    expect(refusal(bytes(0x61, 0x2c, 0x00, 0x62))).toBe('binary: data.csv looks like a binary file, not delimited text (it contains NUL bytes)');
    expect(refusal(bytes(0x50, 0x4b, 0x03, 0x04, 0x14))).toMatch(/^binary: data.csv looks like a binary file, not delimited text \(.*zip/);
    expect(refusal(bytes(0x50, 0x41, 0x52, 0x31, 0x15))).toMatch(/Parquet/);
    expect(refusal(new Uint8Array(100).fill(0x01))).toMatch(/^binary: .*control characters/);
    expect(refusal(utf8('a\tb\r\nc\fd\n'))).toBe('accepted');
  });
});

describe('byteTextDecoder', () => {
  it('decodes windows-1252 (not Latin-1) in every call', () => {
    const d = byteTextDecoder('windows-1252');
    expect(d.decode(bytes(0x80, 0x41, 0x9f, 0xe9))).toBe('€AŸé');
    expect(d.decode(bytes(0x80))).toBe('€');
  });

  it('keeps a leading U+FEFF inside the data (the BOM is skipped by offset)', () => {
    expect(byteTextDecoder('utf-8').decode(bytes(0xef, 0xbb, 0xbf, 0x61))).toBe('\ufeffa');
  });
});

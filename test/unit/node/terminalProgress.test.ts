import { describe, expect, it } from 'vitest';
import { terminalProgress } from '../../../src/node/io/terminalProgress';

function fakeStream(isTTY: boolean, columns = 60): { stream: NodeJS.WriteStream; written: string[] } {
  const written: string[] = [];
  const stream = { isTTY, columns, write: (s: string) => { written.push(s); return true; } } as unknown as NodeJS.WriteStream;
  return { stream, written };
}

describe('terminalProgress', () => {
  it('draws nothing when stderr is not a terminal (a pipe, a CI log)', () => {
    const { stream, written } = fakeStream(false);
    const p = terminalProgress(stream);
    expect(p.onProgress).toBeUndefined();
    p.done();
    expect(written).toEqual([]);
  });

  it('redraws one line with the phase, the share done and the amount, then clears it', () => {
    const { stream, written } = fakeStream(true);
    const p = terminalProgress(stream, { quietMs: 0 });
    p.onProgress?.({ phase: 'profiling', unit: 'bytes', done: 52_000_000, total: 259_000_000 });
    p.onProgress?.({ phase: 'profiling', unit: 'bytes', done: 60_000_000, total: 259_000_000 }); // within 100 ms: skipped
    p.onProgress?.({ phase: 'profiling', unit: 'bytes', done: 259_000_000, total: 259_000_000 }); // the end is always drawn
    p.onProgress?.({ phase: 'hash', unit: 'files', done: 3, total: 10, path: 'data/a.csv' });
    expect(written).toEqual(['\r\x1b[2Kprofiling 20% 52/259 MB', '\r\x1b[2Kprofiling 100% 259/259 MB']);
    p.done();
    p.done();
    expect(written.slice(2)).toEqual(['\r\x1b[2K']);
  });

  it('draws nothing in its first moments, so that a quick operation never flashes a line', () => {
    const { stream, written } = fakeStream(true);
    const p = terminalProgress(stream, { quietMs: 60_000 });
    p.onProgress?.({ phase: 'validating', unit: 'bytes', done: 1, total: 1 });
    p.done();
    expect(written).toEqual([]);
  });

  it('keeps the line within the terminal\'s width', () => {
    const { stream, written } = fakeStream(true, 20);
    terminalProgress(stream, { quietMs: 0 }).onProgress?.({ phase: 'hash', unit: 'files', done: 3, total: 10, path: 'a/very/long/path/to/a/dataset.csv' });
    expect(written[0]).toBe(`\r\x1b[2K${'hash 30% 3/10 files a/very/long/path/to/a/dataset.csv'.slice(0, 19)}`);
  });
});

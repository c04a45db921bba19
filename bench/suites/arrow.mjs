// Arrow IPC jobs on the 1 GB events table converted to an Arrow IPC file: first 1,000 rows without reading the whole file.
import { existsSync, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';

const BUNDLE = `
export { openArrow } from './src/core/formats/arrow/arrowDataset';
export { openFileBuffer } from './src/node/fileBuffer';
`;

export async function run(ctx) {
  const { lib, report, runs, dataDir, suite } = ctx;
  const file = join(dataDir, 'events-1g.arrow');
  if (!existsSync(file)) { throw new Error(`${file} is missing: run node bench/prepare.mjs`); }
  const size = statSync(file).size;
  const { openArrow, openFileBuffer } = await lib.importBundle('arrow', BUNDLE);
  const A = await import('apache-arrow');
  const many = { runs: Math.max(runs, 7), warmup: 2 };

  // The anchor: apache-arrow's own random-access reader (footer, then one record batch) over a file handle.
  // DuckDB has no Arrow IPC reader offline (its arrow extension is not installed here).
  const arrowJs = async start => {
    const handle = await open(file);
    const reader = await A.RecordBatchReader.from(handle);
    await reader.open();
    let first = 0;
    for (let b = 0; b < reader.numRecordBatches; b++) {
      const batch = await reader.readRecordBatch(b);
      if (start < first + batch.numRows) {
        const rows = [];
        for (let i = start - first; i < Math.min(batch.numRows, start - first + 1000); i++) { rows.push(batch.get(i)?.toJSON()); }
        await reader.cancel?.();
        await handle.close();
        return rows.length;
      }
      first += batch.numRows;
    }
    await handle.close();
    return 0;
  };

  let rows = 0;
  for (const [label, startOf] of [['first 1,000 rows', () => 0], ['1,000 rows from the middle', () => Math.floor(rows / 2)]]) {
    let readBytes = 0;
    let batches = 0;
    const cpu = [];
    const ours = await lib.measure(() => lib.withCpu(cpu, async () => {
      const t0 = performance.now();
      const buf = await openFileBuffer(file);
      const c = lib.countingBuffer(buf);
      const ds = await openArrow(c);
      rows = ds.rowCount.value;
      const batch = await ds.readRows(startOf(), 1000);
      const ms = performance.now() - t0;
      if (batch.rowCount !== 1000) { throw new Error('short read'); }
      readBytes = c.bytes;
      batches = ds.batchCount;
      await buf.close();
      return ms;
    }), many);
    const first = label.startsWith('first');
    // apache-arrow must decode every batch before the middle to find its rows: only the first window is a fair anchor
    const anchor = first ? await lib.measure(async () => {
      if ((await arrowJs(startOf())) !== 1000) { throw new Error('short read'); }
    }, many) : undefined;
    report.add({
      suite, job: `open + ${label} (${(size / 1e6).toFixed(0)} MB Arrow IPC file, ${batches} batches)`, ours: ours.median, unit: 'ms',
      anchor: first ? 'apache-arrow file reader' : undefined, anchorValue: anchor?.median, target: first ? { op: '<=', value: 20 } : undefined,
      note: `${(readBytes / 1e6).toFixed(1)} MB read of ${(size / 1e6).toFixed(0)} MB; CPU ${lib.median(cpu.slice(2)).toFixed(1)} ms`,
    });
  }
}

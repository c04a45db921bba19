// View jobs: sort of 10 million numbers by computeView (the preview's sort, over a whole dataset)
// against a plain Float64Array sort of the same values, in the same run.
//
// The dataset lives in memory (a numeric column handed over in 65,536-row batches, as the Parquet
// and Arrow readers do), so the job measures the sort and not a file reader. 1% of the cells are
// missing; the order is checked (ascending, missing last, ties in source order).
const BUNDLE = `
export { computeView } from './src/core/view/computeView';
`;
const ROWS = 10_000_000;
const BATCH = 65_536;

/** Deterministic doubles (xorshift32), about 1% missing, and a few repeats so that ties occur. */
function makeColumn(n) {
  const values = new Float64Array(n);
  const valid = new Uint8Array(n);
  let x = 0x2545f491;
  for (let i = 0; i < n; i++) {
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
    const u = (x >>> 0) / 4294967296;
    if (u < 0.01) { continue; }
    values[i] = u < 0.05 ? Math.floor(u * 1000) : (u - 0.5) * 1e6;
    valid[i] = 1;
  }
  return { values, valid };
}

function memoryDataset(col) {
  const n = col.values.length;
  const batch = (start, count) => {
    const end = Math.min(n, start + count);
    return { rowStart: start, rowCount: end - start, fieldIndexes: [0], columns: [{ kind: 'number', values: col.values.subarray(start, end), valid: col.valid.subarray(start, end) }] };
  };
  return {
    format: 'parquet',
    fields: [{ name: 'x', type: 'number', nullable: true }],
    rowCount: { value: n, exact: true },
    warnings: [],
    async readRows(start, count) { return batch(start, count); },
    async scan(_columns, onBatch, options = {}) {
      for (let s = 0; s < n; s += BATCH) {
        if (options.signal?.aborted) { throw options.signal.reason; }
        await onBatch(batch(s, BATCH));
      }
    },
  };
}

function checkOrder(order, col) {
  if (order.length !== col.values.length) { throw new Error(`sorted ${order.length} rows of ${col.values.length}`); }
  let missing = false;
  for (let i = 1; i < order.length; i++) {
    const a = order[i - 1], b = order[i];
    const am = col.valid[a] !== 1, bm = col.valid[b] !== 1;
    if (am) { missing = true; if (!bm) { throw new Error(`a value after a missing cell at ${i}`); } if (a > b) { throw new Error(`missing cells out of source order at ${i}`); } continue; }
    if (bm) { continue; }
    const x = col.values[a], y = col.values[b];
    if (x > y || (x === y && a > b)) { throw new Error(`out of order at ${i}: ${x} (row ${a}) before ${y} (row ${b})`); }
  }
  if (!missing) { throw new Error('no missing cell seen'); }
}

export async function run(ctx) {
  const { lib, report, runs, suite } = ctx;
  const { computeView } = await lib.importBundle('view', BUNDLE);
  const col = makeColumn(ROWS);
  const ds = memoryDataset(col);
  const present = col.values.filter((_, i) => col.valid[i] === 1);
  let order;
  const jobs = await lib.measureInterleaved({
    ours: async () => { order = await computeView(ds, { sort: [{ field: 0, direction: 'asc' }] }); },
    anchor: async () => { present.slice().sort(); },
  }, { runs: Math.min(runs, 3), warmup: 1 });
  checkOrder(order, col);
  report.add({
    suite, job: 'sort of 10 million numbers (computeView, ascending)', ours: jobs.ours.median, oursCpu: jobs.ours.cpuMedian, unit: 'ms',
    anchor: 'Float64Array.prototype.sort of the values', anchorValue: jobs.anchor.median, anchorCpu: jobs.anchor.cpuMedian,
    target: { op: '<=', value: 2000 },
    note: '1% missing (sorted last), ties kept in source order; order checked',
  });
}

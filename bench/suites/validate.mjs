// Schema jobs: infer the events table's schema, then validate the 1 GB events CSV against it as the product does
// (a pool of two worker threads: a cut found by scanning the first half, two halves at once, merge) beside a plain parse of the same rows and
// the one-thread pass, peak RSS, and how soon the first 500 issues of a failing file are out.
//
// The 1 GB passes run once each in a fresh process (they take seconds to minutes); inference runs `runs` times on 100 MB.
// `--quick` checks the suite itself on the 100 MB and 10 MB files instead.
import { build } from 'esbuild';
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const BUNDLE = `
export { openFileBuffer } from './src/node/fileBuffer';
export { openCsv } from './src/core/formats/csv/csvDataset';
export { openByteSource } from './src/core/formats/csv/byteSource';
export { ChunkParser } from './src/core/formats/csv/chunkParser';
export { csvTableSource } from './src/core/schema/datasetTableSource';
export { inferSchema } from './src/core/schema/inferSchema';
export { validateTable } from './src/core/schema/validateTable';
export { parseTableSchema, stringifyTableSchema } from './src/core/schema/tableSchema';
`;
const CHILD = fileURLToPath(new URL('./validate.child.mjs', import.meta.url));

/** The pool's worker and a module with validateInParts and WorkerPool, bundled as dist/ is (CommonJS). */
async function buildPoolBundles(lib, dir) {
  const common = { bundle: true, platform: 'node', format: 'cjs', target: 'node20', logLevel: 'warning', define: { STRATA_VERSION: '"bench"' } };
  const worker = join(dir, 'validate-worker.cjs');
  const main = join(dir, 'validate-main.cjs');
  await build({ ...common, entryPoints: [join(lib.ROOT, 'src/node/worker/workerMain.ts')], outfile: worker });
  await build({
    ...common, outfile: main,
    stdin: { contents: "export { validateInParts } from './src/node/schema/validateSplit';\nexport { WorkerPool } from './src/node/workerPool';\n", resolveDir: lib.ROOT, loader: 'ts' },
  });
  return { worker, main };
}

export async function run(ctx) {
  const { lib, report, runs, dataDir, suite } = ctx;
  const quick = process.argv.includes('--quick');
  const file1g = join(dataDir, quick ? 'events-100m.csv' : 'events-1g.csv');
  const file100m = join(dataDir, quick ? 'events-10m.csv' : 'events-100m.csv');
  const big = quick ? '100 MB' : '1 GB';
  const small = quick ? '10 MB' : '100 MB';
  for (const f of [file1g, file100m]) {
    if (!existsSync(f)) { throw new Error(`${f} is missing: run node bench/prepare.mjs`); }
  }
  const bundlePath = await lib.bundle('validate', BUNDLE);
  const bundleUrl = pathToFileURL(bundlePath).href;
  const m = await import(bundleUrl);

  // 1. Inference: one streamed pass over 100 MB of the same table (the 1 GB file holds the same generator's rows).
  let schema;
  const inferMs = await lib.measure(async () => {
    const buffer = await m.openFileBuffer(file100m);
    const ds = await m.openCsv(buffer, { name: file100m });
    const t0 = performance.now();
    schema = (await m.inferSchema(m.csvTableSource(buffer, ds, { name: file100m }))).schema;
    const ms = performance.now() - t0;
    await buffer.close();
    return ms;
  }, { runs: Math.min(runs, 3), warmup: 0 });
  report.add({ suite, job: `infer schema, full pass (${small} CSV)`, ours: inferMs.median, unit: 'ms', bytes: statSync(file100m).size, note: `fields: ${schema.fields.map(f => `${f.name}:${f.type}`).join(' ')}; primary key ${schema.primaryKey.join(',') || 'none'}` });
  const buildDir = join(dataDir, '.build');
  mkdirSync(buildDir, { recursive: true });
  const schemaFile = join(buildDir, 'events.schema.json');
  writeFileSync(schemaFile, m.stringifyTableSchema(schema));

  // 2. Validate the 1 GB file against it as the product does (two worker threads), beside a plain parse of the same
  // rows by the same reader and the one-thread pass.
  const size1g = statSync(file1g).size;
  const pools = await buildPoolBundles(lib, buildDir);
  const parse = await lib.runNodeJson(CHILD, ['parse', bundleUrl, file1g]);
  const one = await lib.runNodeJson(CHILD, ['validate', bundleUrl, file1g, schemaFile]);
  const valid = await lib.runNodeJson(CHILD, ['pool', pools.main, pools.worker, file1g, schemaFile]);
  if (valid.result.rows !== parse.result.rows || one.result.rows !== parse.result.rows) {
    throw new Error(`validated ${valid.result.rows} rows (one thread: ${one.result.rows}), parsed ${parse.result.rows}`);
  }
  const mbs = (ms) => (size1g / 1e3 / ms).toFixed(0);
  report.add({
    suite, job: `validate against the inferred schema, 2 workers (${big} CSV)`, ours: valid.result.ms, unit: 'ms', bytes: size1g,
    anchor: 'plain full parse, same reader', anchorValue: parse.result.ms, target: { op: '>=', value: 80, of: 'MB/s' },
    note: `${valid.result.rows} rows, ${valid.result.issues} issues; parse ${mbs(parse.result.ms)} MB/s; one thread ${mbs(one.result.ms)} MB/s; ` +
      `CPU time: 2 workers ${(valid.result.cpuMs / 1000).toFixed(1)} s (cut scan and merge included), one thread ${(one.result.cpuMs / 1000).toFixed(1)} s, ` +
      `parse ${(parse.result.cpuMs / 1000).toFixed(1)} s; CPU ratio to the parse: 2 workers ${(valid.result.cpuMs / parse.result.cpuMs).toFixed(2)}, one thread ${(one.result.cpuMs / parse.result.cpuMs).toFixed(2)}`,
  });
  report.add({ suite, job: `peak RSS, validating the ${big} CSV with 2 workers`, ours: valid.peakRssMB, unit: 'MB', anchor: 'plain full parse', anchorValue: parse.peakRssMB, target: { op: '<=', value: 300 } });

  // 3. A failing file: the same data against a schema whose score maximum 99 about 1% of rows break.
  const strict = JSON.parse(m.stringifyTableSchema(schema));
  const score = strict.fields.find(f => f.name === 'score');
  score.constraints = { ...(score.constraints ?? {}), maximum: 99 };
  const strictFile = join(buildDir, 'events.strict.schema.json');
  writeFileSync(strictFile, JSON.stringify(strict));
  const failing = await lib.runNodeJson(CHILD, ['pool500', pools.main, pools.worker, file1g, strictFile]);
  report.add({
    suite, job: `first 500 issues out, 2 workers (${big} CSV, ~1% of rows failing)`, ours: failing.result.firstMs, unit: 'ms',
    anchor: 'the whole pass', anchorValue: failing.result.ms,
    note: `${failing.result.issues} issues counted; first: ${failing.result.firstIssue}`,
  });
}

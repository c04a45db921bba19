// `strata diff A [B] [--rev-a R] [--rev-b R] [--key COL]... [--epsilon X] [--json] [--limit N] [--no-schema]`: schema,
// row and cell changes and drift between two versions of a dataset; exit 0 identical, 1 different, 2 error.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { diffToJson } from '../../core/diff/diffJson';
import { diffToText } from '../../core/diff/diffText';
import type { DiffOptions, DiffProgress } from '../../core/diff/diffTypes';
import { stringifyJson } from '../../core/formats/cellValue';
import { isDatasetError } from '../../core/formats/errors';
import { isVersioningError } from '../../core/versioning/versioningError';
import { DIFF_THREAD_LIMITS, runDiff } from '../../node/diff/runDiff';
import { terminalProgress, type TerminalProgressStep } from '../../node/io/terminalProgress';
import { WorkerPool } from '../../node/workerPool';
import { CliUsageError, EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, type CliCommand, type CliIO } from '../cliTypes';

const USAGE = 'usage: strata diff A [B] [--rev-a REV] [--rev-b REV] [--key COL]... [--epsilon X] [--psi X] [--ks X] [--limit N] [--json] [--no-schema]';

export const diffCommand: CliCommand = {
  name: 'diff',
  summary: 'schema, rows, cells and drift between two datasets or two revisions of one (exit 1 when they differ)',
  options: [
    { name: 'rev-a', kind: 'string' },
    { name: 'rev-b', kind: 'string' },
    { name: 'key', short: 'k', kind: 'multi' },
    { name: 'epsilon', kind: 'number' },
    { name: 'psi', kind: 'number' },
    { name: 'ks', kind: 'number' },
    { name: 'limit', short: 'n', kind: 'number' },
    { name: 'json', kind: 'flag' },
    { name: 'no-schema', kind: 'flag' },
  ],
  details: [
    'A and B are files on disk, or A at --rev-a and at --rev-b (git, DVC or git-lfs; a side without a',
    'revision is the working file). A dataset compared with itself is identical (exit 0); a single',
    'dataset with neither revision is a usage error.',
    'Rows are matched by --key; else by the primaryKey of the Table Schema beside the newer file (or',
    'the older; <name>.schema.json or datapackage.json), unless --no-schema; else by a column or pair',
    'of columns unique in both versions; else by whole-row content.',
    '--epsilon X: numbers differing by at most X are equal (default 0). --psi X, --ks X: a column has',
    'drifted when its PSI or KS statistic reaches X (defaults 0.2, 0.1). --limit N: rows listed',
    '(default 20, 100 with --json; 0 lists none, leaving the summary).',
  ],
  async run(args, io) {
    const [pathA, pathB = pathA, ...extra] = args.positionals;
    if (!pathA || extra.length) { throw new CliUsageError(pathA ? `give at most two datasets; ${USAGE}` : USAGE); }
    const revA = args.values['rev-a'] as string | undefined;
    const revB = args.values['rev-b'] as string | undefined;
    if (args.positionals.length === 1 && revA === undefined && revB === undefined) {
      throw new CliUsageError(`nothing to compare ${pathA} with: give a second dataset, or --rev-a REV (e.g. HEAD); ${USAGE}`);
    }
    const limit = args.values.limit as number | undefined;
    if (limit !== undefined && !(Number.isInteger(limit) && limit >= 0)) { throw new CliUsageError(`--limit needs a whole number ≥ 0, got ${limit}`); }
    // rows listed: 100 in JSON, 20 in the table, unless --limit says otherwise
    const shown = limit ?? (args.flags.json ? 100 : 20);
    const options: DiffOptions = {
      key: ((args.values.key as string[] | undefined) ?? []).flatMap(k => k.split(',')).map(k => k.trim()).filter(Boolean),
      epsilon: nonNegative(args.values.epsilon, '--epsilon'),
      psiThreshold: nonNegative(args.values.psi, '--psi'),
      ksThreshold: nonNegative(args.values.ks, '--ks'),
      maxExamples: shown,
    };
    const ac = new AbortController();
    const onInterrupt = (): void => ac.abort();
    process.once('SIGINT', onInterrupt);
    const pool = workerPool();
    const progress = terminalProgress();
    try {
      const diff = await runDiff(
        { a: { path: pathA, rev: revA }, b: { path: pathB, rev: revB }, cwd: io.cwd, options, useSchema: !args.flags['no-schema'] },
        { pool, signal: ac.signal, ...(progress.onProgress ? { onProgress: diffProgress(progress.onProgress) } : {}) },
      );
      progress.done();
      if (args.flags.json) {
        io.out(stringifyJson(diffToJson(diff, { limit: shown })));
      } else {
        for (const line of diffToText(diff, { limit: shown })) { io.out(line); }
      }
      return diff.identical ? EXIT_OK : EXIT_FINDINGS;
    } catch (e) {
      progress.done();
      if (isDatasetError(e) || isVersioningError(e)) { return fail(io, e.message); }
      throw e;
    } finally {
      progress.done();
      process.removeListener('SIGINT', onInterrupt);
      await pool?.dispose();
    }
  },
};

/** The terminal line for a diff: the bytes both versions' scans have read, then the rows matched and the drift. */
function diffProgress(draw: (p: TerminalProgressStep) => void): (p: DiffProgress) => void {
  const read = { a: 0, b: 0 };
  const sizes = { a: 0, b: 0 };
  return p => {
    if (p.phase === 'scan' && p.side) {
      read[p.side] = p.done;
      sizes[p.side] = p.total;
      // once both scans have said their size (a total that grew would make the share go back)
      if (sizes.a > 0 && sizes.b > 0) { draw({ phase: 'reading', unit: 'bytes', done: read.a + read.b, total: sizes.a + sizes.b }); }
    } else if (p.phase === 'join' || p.phase === 'drift') {
      draw({ phase: p.phase === 'join' ? 'matching rows' : 'drift', unit: 'parts', done: p.done, total: p.total });
    }
  };
}

function nonNegative(v: unknown, flag: string): number | undefined {
  if (v === undefined) { return undefined; }
  if (typeof v !== 'number' || !(v >= 0)) { throw new CliUsageError(`${flag} needs a number ≥ 0, got ${String(v)}`); }
  return v;
}

function fail(io: CliIO, message: string): number {
  io.err(`strata diff: ${message.split('\n')[0]}`);
  return EXIT_ERROR;
}

/** The two versions are scanned in parallel threads when the bundled worker sits beside this program. */
function workerPool(): WorkerPool | undefined {
  const path = join(__dirname, 'worker.js');
  if (process.env.STRATA_DIFF_THREADS === '0' || !existsSync(path)) { return undefined; }
  return new WorkerPool({ workerPath: path, maxThreads: 2, idleShutdownMs: 1000, resourceLimits: DIFF_THREAD_LIMITS });
}

// `strata profile FILE [--json | --markdown] [--columns a,b] [--sample N]`: column profiles and the data-quality summary.
import { existsSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { openDataset } from '../../core/formats/openDataset';
import { mergeProfiles, profileDataset, quickProfile } from '../../core/profile/datasetProfiler';
import { columnRange, counted, duplicatesScope, formatBytes, formatCount, formatDistinct, formatScore, formatShare, formatStat, profileToJson, profileToMarkdown, QUALITY_ORDER } from '../../core/profile/profileExport';
import type { ColumnProfile, DatasetProfile } from '../../core/profile/profileTypes';
import { openFileBuffer } from '../../node/fileBuffer';
import { declaredReading } from '../../node/schema/tableFiles';
import { profileParts } from '../../node/session/profileParts';
import { SessionThread } from '../../node/session/sessionThread';
import { terminalProgress } from '../../node/io/terminalProgress';
import { CliUsageError, EXIT_OK, type CliCommand } from '../cliTypes';

export const profileCommand: CliCommand = {
  name: 'profile',
  summary: 'column profiles (types, missing, distinct, statistics, top values, patterns) and a data-quality summary',
  options: [
    { name: 'json', kind: 'flag' },
    { name: 'markdown', kind: 'flag' },
    { name: 'columns', kind: 'string' },
    { name: 'sample', kind: 'number' },
  ],
  async run(args, io) {
    if (args.positionals.length !== 1) { throw new CliUsageError('usage: strata profile FILE [--json | --markdown] [--columns a,b] [--sample N]'); }
    if (args.flags.json && args.flags.markdown) { throw new CliUsageError('choose one of --json and --markdown'); }
    const sample = args.values.sample as number | undefined;
    if (sample !== undefined && !(Number.isInteger(sample) && sample > 0)) { throw new CliUsageError(`--sample needs a positive whole number of rows, got ${sample}`); }
    const path = resolve(io.cwd, args.positionals[0]);
    const ac = new AbortController();
    const onInterrupt = (): void => ac.abort();
    process.once('SIGINT', onInterrupt);
    const file = await openFileBuffer(path);
    // one redrawn line on stderr while a terminal waits (nothing in a pipe or a CI log)
    const progress = terminalProgress();
    const onBytes = progress.onProgress && ((done: number, total: number) => progress.onProgress?.({ phase: 'profiling', unit: 'bytes', done, total }));
    try {
      const dataset = await openDataset(file, { name: path, signal: ac.signal, ...await declaredReading(path) });
      const columns = args.values.columns === undefined ? undefined : columnIndexes(String(args.values.columns), dataset.fields.map(f => f.name));
      const threads = process.env.STRATA_PROFILE_THREADS;
      const threaded = sample === undefined && columns === undefined && threads !== '0' && (threads === 'always' || file.byteLength >= THREADS_MIN_BYTES)
        ? await profileInThreads(path, ac.signal, onBytes) : undefined;
      const profile = threaded ?? (sample !== undefined
        ? await quickProfile(dataset, { rows: sample, columns, signal: ac.signal })
        : await profileDataset(dataset, { columns, signal: ac.signal, onProgress: onBytes && (p => onBytes(p.bytesDone, p.bytesTotal)) }));
      progress.done();
      if (args.flags.json) {
        io.out(profileToJson(profile).trimEnd());
      } else if (args.flags.markdown) {
        io.out(profileToMarkdown(profile, { title: basename(path), chosenColumns: columns !== undefined }).trimEnd());
      } else {
        for (const line of humanReport(profile, basename(path), threaded ? PROFILE_THREADS : 1, columns !== undefined)) { io.out(line); }
      }
      return EXIT_OK;
    } finally {
      progress.done();
      process.removeListener('SIGINT', onInterrupt);
      await file.close();
    }
  },
};

/**
 * Files this large are profiled in two threads at once. Two fresh threads take a while to reach full speed (on the
 * 2-core benchmark machine, 2.4–2.5 s for each half of the 100 MB events CSV, against 1.3 s once warm), so the events
 * CSV took as long either way at 100 MB, 5.4 → 4.2 s at 259 MB and 17.9 → 11.8 s at 1 GB.
 */
const THREADS_MIN_BYTES = 128 * 1024 * 1024;
const PROFILE_THREADS = 2;

/**
 * The full profile in two threads, each profiling one part of the rows (a CSV is cut at row starts), merged here: as
 * the extension does it. Undefined when the bundled session worker is not beside this program, and the caller
 * profiles in this thread. (STRATA_PROFILE_THREADS=0 never uses threads; =always uses them whatever the file's size.)
 */
async function profileInThreads(path: string, signal: AbortSignal, onBytes?: (done: number, total: number) => void): Promise<DatasetProfile | undefined> {
  const workerPath = join(__dirname, 'session.js');
  if (!existsSync(workerPath)) { return undefined; }
  const started = Date.now();
  const threads = Array.from({ length: PROFILE_THREADS }, () => new SessionThread({ workerPath }));
  try {
    const partials = await profileParts(threads, path, { signal, onProgress: (done, total) => { if (total !== undefined) { onBytes?.(done, total); } } });
    return mergeProfiles(partials, { elapsedMs: Date.now() - started });
  } finally {
    await Promise.all(threads.map(t => t.dispose()));
  }
}

/** Field indexes of comma-separated column names, in the order given. */
export function columnIndexes(spec: string, names: readonly string[]): number[] {
  const wanted = spec.split(',').map(s => s.trim()).filter(s => s.length > 0);
  if (wanted.length === 0) { throw new CliUsageError('--columns needs at least one column name'); }
  return wanted.map(w => {
    const i = names.indexOf(w);
    if (i < 0) { throw new CliUsageError(`no column '${w}' (columns: ${names.join(', ')})`); }
    return i;
  });
}

function align(rows: string[][]): string[] {
  const widths = rows[0].map((_, c) => Math.max(...rows.map(r => [...r[c]].length)));
  return rows.map(r => r.map((cell, c) => (c === r.length - 1 ? cell : cell + ' '.repeat(widths[c] - [...cell].length))).join('  ').trimEnd());
}

function clip(s: string, n: number): string {
  const chars = [...s.replace(/\s+/g, ' ')];
  return chars.length > n ? chars.slice(0, n - 1).join('') + '…' : chars.join('');
}

/** Room for a range of two datetimes with microseconds, or of two 64-bit integers. */
const RANGE_CHARS = 56;

function typical(c: ColumnProfile): string {
  if (c.number) { return `mean ${formatStat(c, c.number.mean)}, p50 ${formatStat(c, c.number.quantiles.p50)}${c.number.quantilesApprox ? '~' : ''}`; }
  if (c.string && c.string.patterns.length > 0) { return `shape ${clip(c.string.patterns[0].value, 16)} (${formatShare(c.string.patterns[0].count, c.count)})`; }
  if (c.date) { return `by ${c.date.period}, ${c.date.gaps.count} empty ${c.date.gaps.unit}s`; }
  return '';
}

/**
 * The human report: a header line, one aligned row per column, the quality summary and alerts. With `chosenColumns`
 * (a profile of some columns only) the duplicate rows are said to be counted over them.
 */
export function humanReport(p: DatasetProfile, name: string, threads = 1, chosenColumns = false): string[] {
  const dups = p.duplicateRows === null ? '' : `, ${p.duplicateRowsExact ? '' : '≈'}${formatCount(p.duplicateRows)} duplicate rows${duplicatesScope(p, chosenColumns)}`;
  const out = [
    `${name}: ${counted(p.rows.value, 'row', `${p.rows.exact ? '' : '≈'}${formatCount(p.rows.value)}`)} × ${counted(p.columns, 'column')}${dups}, memory ≈ ${formatBytes(p.memoryBytes)}` +
    ` (${p.sample ? `sample of the first ${formatCount(p.rowsProfiled)} rows` : 'full pass'}${threads > 1 ? ` in ${threads} threads` : ''}, ${p.elapsedMs < 1000 ? `${Math.round(p.elapsedMs)} ms` : `${(p.elapsedMs / 1000).toFixed(1)} s`})`,
    '',
  ];
  const table = [['column', 'type', 'missing', 'distinct', 'range', 'typical', 'top']];
  for (const c of p.columnProfiles) {
    const top = c.top.length > 0 ? `${clip(c.top[0].value, 20)} (${c.top[0].count}${c.topApprox ? '+' : ''})` : '';
    const typed = c.typeConsistency !== null && c.typeConsistency < 1 ? `${c.type} (${formatShare(c.count - c.invalid, c.count)} parse)` : c.type;
    table.push([clip(c.name, 24), typed, formatShare(c.missing, c.count + c.missing), formatDistinct(c), clip(columnRange(c), RANGE_CHARS), typical(c), top]);
  }
  out.push(...align(table), '', 'quality');
  const q = align(QUALITY_ORDER.map(n => {
    const d = p.quality[n];
    return ['  ' + n, formatScore(d.score), d.measured + (d.worstColumns.length ? ` (worst: ${d.worstColumns.join(', ')})` : '')];
  }));
  out.push(...q);
  const alerts = [
    ...p.alerts.map(a => `  dataset: ${a}`),
    ...p.columnProfiles.filter(c => c.alerts.length > 0).map(c => `  ${c.name}: ${c.alerts.join(', ')}`),
  ];
  if (alerts.length) { out.push('', 'alerts', ...alerts); }
  return out;
}

// `strata status [--json] [PATH...]`: the state of each tracked dataset. Exit 0 all unchanged, 1 some changed/missing/not cached, 2 unreadable pointers.
import { join, relative, resolve, sep } from 'node:path';
import { EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, type CliCommand } from '../cliTypes';
import { datasetStatus } from '../../node/versioning/datasetStatus';
import { abortOnInterrupt } from '../../node/io/terminalProgress';

export const statusCommand: CliCommand = {
  name: 'status',
  summary: 'state of tracked datasets: unchanged, modified, not-in-cache, missing (exit 1 if any changed)',
  options: [{ name: 'json', kind: 'flag' }],
  details: [
    'States:',
    '  unchanged     the workspace holds the version its .dvc pointer names, and the cache has it',
    '  modified      the workspace differs from the pointer (strata commit saves it; strata checkout PATH',
    '                puts the pointer\'s version back, keeping the working copy in the cache)',
    '  not-in-cache  the cache lacks the pointer\'s version; the workspace holds that version or nothing',
    '                (as in a fresh clone): strata pull fetches it',
    '  missing       nothing in the workspace, the version is in the cache: strata checkout PATH restores it',
    'PATH limits the list to datasets at or under it. Paths are printed relative to the current folder,',
    'as git prints them; with --json they are relative to the repository root (the folder holding .dvc),',
    'wherever status runs.',
  ],
  async run(args, io) {
    const cancel = abortOnInterrupt();
    try {
      const r = await datasetStatus({ cwd: io.cwd, paths: args.positionals.length ? args.positionals : undefined, signal: cancel.signal });
      if (args.flags.json) {
        io.out(JSON.stringify({
          datasets: r.datasets.map(d => ({ path: d.path, state: d.state })),
          ...(r.problems.length ? { errors: r.problems.map(p => ({ path: p.pointerPath, code: p.code, message: p.message })) } : {}),
        }));
      } else {
        if (r.datasets.length === 0 && r.problems.length === 0) { io.out('no tracked datasets'); }
        const width = Math.max(0, ...r.datasets.map(d => d.state.length));
        for (const d of r.datasets) { io.out(`${d.state.padEnd(width)}  ${fromCwd(r.root, io.cwd, d.path)}`); }
      }
      for (const p of r.problems) { io.err(`strata status: ${p.message}`); }
      if (r.problems.length) { return EXIT_ERROR; }
      return r.datasets.every(d => d.state === 'unchanged') ? EXIT_OK : EXIT_FINDINGS;
    } finally {
      cancel.dispose();
    }
  },
};

/** A root-relative dataset path as seen from `cwd`, with `/` separators: `../b.csv` from a sibling folder, `.` for `cwd` itself. */
function fromCwd(root: string, cwd: string, rel: string): string {
  const p = relative(resolve(cwd), join(root, rel)).split(sep).join('/');
  return p === '' ? '.' : p;
}

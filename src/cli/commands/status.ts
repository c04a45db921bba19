// `strata status [--json] [PATH...]`: the state of each tracked dataset. Exit 0 all unchanged, 1 some changed/missing/not cached, 2 unreadable pointers.
import { EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, type CliCommand } from '../cliTypes';
import { datasetStatus } from '../../node/versioning/datasetStatus';
import { abortOnInterrupt } from '../../node/io/terminalProgress';

export const statusCommand: CliCommand = {
  name: 'status',
  summary: 'state of tracked datasets: unchanged, modified, not-in-cache, missing (exit 1 if any changed)',
  options: [{ name: 'json', kind: 'flag' }],
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
        for (const d of r.datasets) { io.out(`${d.state.padEnd(width)}  ${d.path}`); }
      }
      for (const p of r.problems) { io.err(`strata status: ${p.message}`); }
      if (r.problems.length) { return EXIT_ERROR; }
      return r.datasets.every(d => d.state === 'unchanged') ? EXIT_OK : EXIT_FINDINGS;
    } finally {
      cancel.dispose();
    }
  },
};

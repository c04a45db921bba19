// `strata add PATH...`: track files or folders: cache them, write .dvc pointers, stage the pointers in git.
import { CliUsageError, EXIT_OK, type CliCommand } from '../cliTypes';
import { trackPaths } from '../../node/versioning/trackPaths';
import { abortOnInterrupt, terminalProgress } from '../../node/io/terminalProgress';

export const addCommand: CliCommand = {
  name: 'add',
  summary: 'track files or folders: cache them and write .dvc pointers (staged in git)',
  options: [{ name: 'json', kind: 'flag' }],
  async run(args, io) {
    if (args.positionals.length === 0) { throw new CliUsageError('name at least one file or folder: strata add PATH...'); }
    const cancel = abortOnInterrupt();
    const progress = terminalProgress();
    try {
      const r = await trackPaths({ cwd: io.cwd, paths: args.positionals, signal: cancel.signal, onProgress: progress.onProgress });
      progress.done();
      if (args.flags.json) {
        io.out(JSON.stringify({ datasets: r.datasets, staged: r.staged }));
      } else {
        for (const d of r.datasets) { io.out(`${d.changed ? 'tracked  ' : 'unchanged'} ${d.path}  ${d.hash}  ${d.size} bytes${d.nfiles !== undefined ? `, ${d.nfiles} files` : ''}`); }
        io.out(`staged ${r.staged.join(', ')}; commit them with 'strata commit -m MESSAGE' or git commit`);
      }
      return EXIT_OK;
    } finally {
      progress.done();
      cancel.dispose();
    }
  },
};

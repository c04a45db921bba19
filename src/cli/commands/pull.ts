// `strata pull [-r REMOTE] [PATH...]`: download the objects the cache lacks and restore missing datasets. Exit 2 when any object failed.
import { EXIT_ERROR, EXIT_OK, type CliCommand } from '../cliTypes';
import { pullObjects } from '../../node/versioning/transferObjects';
import { abortOnInterrupt, terminalProgress } from '../../node/io/terminalProgress';

export const pullCommand: CliCommand = {
  name: 'pull',
  summary: 'download the objects the cache lacks and restore missing datasets',
  options: [{ name: 'remote', short: 'r', kind: 'string' }, { name: 'jobs', short: 'j', kind: 'number' }, { name: 'json', kind: 'flag' }],
  async run(args, io) {
    const cancel = abortOnInterrupt();
    const progress = terminalProgress();
    try {
      const jobs = args.values.jobs;
      const r = await pullObjects({
        cwd: io.cwd, remote: args.values.remote as string | undefined, paths: args.positionals.length ? args.positionals : undefined,
        jobs: typeof jobs === 'number' && jobs >= 1 ? Math.floor(jobs) : undefined, signal: cancel.signal, onProgress: progress.onProgress,
      });
      progress.done();
      if (args.flags.json) {
        io.out(JSON.stringify(r));
      } else {
        io.out(`${r.transferred} object(s) pulled from ${r.remote} (${r.bytes} bytes), ${r.skipped} already there`);
        for (const p of r.restored) { io.out(`restored ${p}`); }
        for (const p of r.keptModified) { io.out(`kept     ${p} (has local changes)`); }
      }
      for (const f of r.failed) { io.err(`strata pull: ${f.message}`); }
      return r.failed.length ? EXIT_ERROR : EXIT_OK;
    } finally {
      progress.done();
      cancel.dispose();
    }
  },
};

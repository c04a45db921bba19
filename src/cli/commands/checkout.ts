// `strata checkout PATH --rev REV` (or `--hash MD5`): restore a dataset version; an unversioned working copy is saved to the cache first.
import { CliUsageError, EXIT_OK, type CliCommand } from '../cliTypes';
import { checkoutVersion } from '../../node/versioning/checkoutVersion';
import { abortOnInterrupt, terminalProgress } from '../../node/io/terminalProgress';

export const checkoutCommand: CliCommand = {
  name: 'checkout',
  summary: 'restore a dataset as it was at a git revision (--rev REV) or by hash (--hash MD5)',
  options: [{ name: 'rev', kind: 'string' }, { name: 'hash', kind: 'string' }, { name: 'remote', short: 'r', kind: 'string' }, { name: 'json', kind: 'flag' }],
  async run(args, io) {
    const rev = args.values.rev;
    const hash = args.values.hash;
    if (args.positionals.length !== 1 || (typeof rev === 'string') === (typeof hash === 'string')) {
      throw new CliUsageError('usage: strata checkout PATH --rev REV  (or --hash MD5)');
    }
    const cancel = abortOnInterrupt();
    const progress = terminalProgress();
    try {
      const r = await checkoutVersion({
        cwd: io.cwd, path: args.positionals[0], rev: rev as string | undefined, hash: hash as string | undefined,
        remote: args.values.remote as string | undefined, signal: cancel.signal, onProgress: progress.onProgress,
      });
      progress.done();
      if (args.flags.json) { io.out(JSON.stringify(r)); return EXIT_OK; }
      if (r.saved) {
        io.out(`your working copy of ${r.path} was in no version; saved it to the cache as ${r.saved.hash}`);
        io.out(`  get it back with: ${r.saved.restoreCommand}`);
      }
      io.out(r.changed ? `restored ${r.path} to ${r.hash}${r.commit ? ` (from ${r.commit.slice(0, 7)})` : ''}` : `${r.path} already is ${r.hash}`);
      if (r.fetched) { io.out(`pulled ${r.fetched} object(s) from the remote`); }
      return EXIT_OK;
    } finally {
      progress.done();
      cancel.dispose();
    }
  },
};

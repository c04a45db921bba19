// `strata checkout [PATH...]` (or `PATH --rev REV`, `PATH --hash MD5`): restore datasets as their pointers name them, or a version; an unversioned working copy is saved to the cache first.
import { CliUsageError, EXIT_ERROR, EXIT_OK, type CliCommand, type CliIO } from '../cliTypes';
import { checkoutVersion, checkoutWorkspace, type CheckoutResult } from '../../node/versioning/checkoutVersion';
import { abortOnInterrupt, terminalProgress } from '../../node/io/terminalProgress';

const USAGE = 'usage: strata checkout [PATH...]  (or strata checkout PATH --rev REV, or PATH --hash MD5)';

export const checkoutCommand: CliCommand = {
  name: 'checkout',
  summary: 'restore datasets to the versions their .dvc pointers name, or to a git revision (--rev REV) or hash (--hash MD5)',
  options: [{ name: 'rev', kind: 'string' }, { name: 'hash', kind: 'string' }, { name: 'remote', short: 'r', kind: 'string' }, { name: 'json', kind: 'flag' }],
  details: [
    'Usage: strata checkout [PATH...]   or   strata checkout PATH --rev REV   or   strata checkout PATH --hash MD5',
    'strata checkout PATH restores the dataset to the version its .dvc pointer in the workspace names',
    '(as dvc checkout does); with no PATH, every tracked dataset that is missing or modified. With',
    '--rev REV, PATH as it was at that git revision (its pointer too); with --hash MD5, that cached',
    'version (the pointer is left as it is). A version missing from the cache is pulled from the',
    'remote (-r NAME, else the default remote). A working copy that is in no version is saved to the',
    'cache first, and the command that brings it back is printed.',
  ],
  async run(args, io) {
    const rev = args.values.rev;
    const hash = args.values.hash;
    const byVersion = typeof rev === 'string' || typeof hash === 'string';
    if (typeof rev === 'string' && typeof hash === 'string') { throw new CliUsageError(`give --rev or --hash, not both; ${USAGE}`); }
    if (byVersion && args.positionals.length !== 1) { throw new CliUsageError(`--rev and --hash restore one dataset: name it; ${USAGE}`); }
    const cancel = abortOnInterrupt();
    const progress = terminalProgress();
    try {
      const common = { cwd: io.cwd, remote: args.values.remote as string | undefined, signal: cancel.signal, onProgress: progress.onProgress };
      if (args.positionals.length === 1) {
        const r = await checkoutVersion({ ...common, path: args.positionals[0], rev: rev as string | undefined, hash: hash as string | undefined });
        progress.done();
        if (args.flags.json) { io.out(JSON.stringify(r)); } else { printCheckout(io, r, true); }
        return EXIT_OK;
      }
      const r = await checkoutWorkspace({ ...common, paths: args.positionals.length ? args.positionals : undefined });
      progress.done();
      if (args.flags.json) {
        io.out(JSON.stringify(r));
      } else {
        for (const d of r.datasets) { printCheckout(io, d, false); }
        if (r.datasets.length === 0 && r.failed.length === 0) { io.out('nothing to restore: every tracked dataset matches its pointer'); }
      }
      for (const f of r.failed) { io.err(`strata checkout: ${f.message}`); }
      return r.failed.length ? EXIT_ERROR : EXIT_OK;
    } finally {
      progress.done();
      cancel.dispose();
    }
  },
};

/** What one checkout did; `sayUnchanged` also reports a dataset that already was that version. */
function printCheckout(io: CliIO, r: CheckoutResult, sayUnchanged: boolean): void {
  if (r.saved) {
    io.out(`your working copy of ${r.path} was in no version; saved it to the cache as ${r.saved.hash}`);
    io.out(`  get it back with: ${r.saved.restoreCommand}`);
  }
  if (r.changed) {
    io.out(`restored ${r.path} to ${r.hash}${r.commit ? ` (from ${r.commit.slice(0, 7)})` : ''}`);
  } else if (sayUnchanged) {
    io.out(`${r.path} already is ${r.hash}`);
  }
  if (r.fetched) { io.out(`pulled ${r.fetched} object(s) from the remote`); }
}

// `strata commit -m MSG [PATH...]`: save changed datasets as new versions and commit them with whatever code is staged. Exit 1 when there is nothing to commit.
import { CliUsageError, EXIT_FINDINGS, EXIT_OK, type CliCommand } from '../cliTypes';
import { commitVersions } from '../../node/versioning/commitVersions';
import { abortOnInterrupt, terminalProgress } from '../../node/io/terminalProgress';
import { isVersioningError } from '../../core/versioning/versioningError';

export const commitCommand: CliCommand = {
  name: 'commit',
  summary: 'save changed datasets as new versions and git-commit them with the staged code',
  options: [{ name: 'message', short: 'm', kind: 'string' }, { name: 'json', kind: 'flag' }],
  async run(args, io) {
    const message = args.values.message;
    if (typeof message !== 'string' || !message.trim()) { throw new CliUsageError('a commit needs a message: strata commit -m MESSAGE [PATH...]'); }
    const cancel = abortOnInterrupt();
    const progress = terminalProgress();
    try {
      const r = await commitVersions({ cwd: io.cwd, message, paths: args.positionals.length ? args.positionals : undefined, signal: cancel.signal, onProgress: progress.onProgress });
      progress.done();
      if (args.flags.json) {
        io.out(JSON.stringify(r));
      } else {
        for (const d of r.datasets) { io.out(`new version  ${d.path}  ${d.hash}  ${d.size} bytes`); }
        for (const m of r.skippedMissing) { io.out(`absent       ${m} (not in the workspace: left as it was)`); }
        io.out(`committed ${r.commit.slice(0, 7)}: ${r.committedPaths.length} path(s)`);
      }
      return EXIT_OK;
    } catch (e) {
      if (isVersioningError(e) && e.code === 'nothing-to-commit') { io.out(e.message); return EXIT_FINDINGS; }
      throw e;
    } finally {
      progress.done();
      cancel.dispose();
    }
  },
};

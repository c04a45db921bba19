// `strata log PATH [--json]`: the versions of a dataset (commit, author, date, message, size, rows/columns when recorded).
import { CliUsageError, EXIT_OK, type CliCommand } from '../cliTypes';
import { datasetHistory } from '../../node/versioning/datasetHistory';

export const logCommand: CliCommand = {
  name: 'log',
  summary: 'versions of a dataset from git history (DVC pointer, plain git or git-lfs)',
  options: [{ name: 'json', kind: 'flag' }, { name: 'max-count', short: 'n', kind: 'number' }],
  async run(args, io) {
    if (args.positionals.length !== 1) { throw new CliUsageError('name one dataset: strata log PATH'); }
    const max = args.values['max-count'];
    const r = await datasetHistory({ cwd: io.cwd, path: args.positionals[0], maxCount: typeof max === 'number' ? max : undefined });
    if (args.flags.json) {
      io.out(JSON.stringify(r));
      return EXIT_OK;
    }
    for (const v of r.versions) {
      const figures = [v.size !== undefined ? `${v.size} bytes` : undefined, v.rows !== undefined ? `${v.rows} rows` : undefined, v.columns !== undefined ? `${v.columns} columns` : undefined].filter(Boolean).join(', ');
      io.out(`${v.commit.slice(0, 10)}  ${v.date}  ${v.authorName}  ${v.message}`);
      io.out(`    ${v.source}${v.hash ? ` ${v.hash}` : ''}${figures ? `  ${figures}` : ''}${v.problem ? `  (${v.problem})` : ''}`);
    }
    return EXIT_OK;
  },
};

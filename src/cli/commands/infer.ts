// `strata infer FILE [--sample-rows N] [--ranges]`: prints a Table Schema inferred from the data.
import { resolve } from 'node:path';
import { commentsMessage, preambleMessage } from '../../core/formats/csv/dialect';
import { isDatasetError } from '../../core/formats/errors';
import { stringifyTableSchema } from '../../core/schema/tableSchema';
import { inferFileSchema } from '../../node/schema/tableFiles';
import { CliUsageError, EXIT_ERROR, EXIT_OK, type CliCommand } from '../cliTypes';

export const inferCommand: CliCommand = {
  name: 'infer',
  summary: 'print a Table Schema inferred from a dataset (--sample-rows N, --ranges for observed min/max)',
  options: [
    { name: 'sample-rows', kind: 'number' },
    { name: 'ranges', kind: 'flag' },
  ],
  async run(args, io) {
    if (args.positionals.length !== 1) {
      throw new CliUsageError(args.positionals.length ? 'give one file' : 'which file? usage: strata infer FILE [--sample-rows N] [--ranges]');
    }
    const sample = args.values['sample-rows'];
    if (sample !== undefined && (typeof sample !== 'number' || !Number.isSafeInteger(sample) || sample < 1)) {
      throw new CliUsageError(`--sample-rows needs a whole number ≥ 1, got ${String(sample)}`);
    }
    const given = args.positionals[0];
    try {
      const result = await inferFileSchema(resolve(io.cwd, given), {
        ranges: args.flags.ranges === true,
        ...(sample !== undefined ? { sampleRows: sample as number } : {}),
      });
      io.out(stringifyTableSchema(result.schema).trimEnd());
      // what the file's Table Dialect (in a data package) would say, where it differs from the defaults
      const dialectNotes: [string, string][] = [];
      if (result.linesAbove > 0) { dialectNotes.push([preambleMessage(result.linesAbove), `"headerRows": [${result.linesAbove + 1}]`]); }
      const { escapeChar, commentChar } = result.dialect ?? {};
      if (escapeChar !== undefined) { dialectNotes.push([`a quote inside a value is escaped by ${escapeChar === '\\' ? 'a backslash' : JSON.stringify(escapeChar)}`, `"escapeChar": ${JSON.stringify(escapeChar)}`]); }
      if (commentChar !== undefined) { dialectNotes.push([commentsMessage(commentChar), `"commentChar": ${JSON.stringify(commentChar)}`]); }
      for (const [what, option] of dialectNotes) { io.err(`strata infer: ${given}: ${what}; a Table Dialect says so with ${option}`); }
      if (!result.complete) { io.err(`strata infer: ${given}: inferred from the first ${result.rowsScanned} rows only`); }
      return EXIT_OK;
    } catch (e) {
      if (isDatasetError(e)) {
        io.err(`strata infer: ${e.message.split('\n')[0]}`);
        return EXIT_ERROR;
      }
      throw e;
    }
  },
};

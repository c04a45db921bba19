// `strata infer FILE [--sample-rows N] [--ranges]`: prints a Table Schema inferred from the data.
import { resolve } from 'node:path';
import { preambleMessage } from '../../core/formats/csv/dialect';
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
      if (result.linesAbove > 0) {
        io.err(`strata infer: ${given}: ${preambleMessage(result.linesAbove)}; a Table Dialect says so with "headerRows": [${result.linesAbove + 1}]`);
      }
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

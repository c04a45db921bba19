import { describe, expect, it } from 'vitest';
import { parseArgs } from '../../../src/cli/parseArgs';
import { CliUsageError } from '../../../src/cli/cliTypes';

const specs = [
  { name: 'json', kind: 'flag' as const },
  { name: 'offset', kind: 'number' as const },
  { name: 'n', short: 'n', kind: 'number' as const },
  { name: 'schema', kind: 'string' as const },
];

describe('parseArgs', () => {
  it('separates positionals, flags and values', () => {
    const a = parseArgs(['data.csv', '-n', '5', '--offset=10', '--json', '--schema', 's.json'], specs);
    expect(a.positionals).toEqual(['data.csv']);
    expect(a.flags).toEqual({ json: true });
    expect(a.values).toEqual({ n: 5, offset: 10, schema: 's.json' });
  });
  it('rejects unknown options and missing values', () => {
    expect(() => parseArgs(['--nope'], specs)).toThrow(CliUsageError);
    expect(() => parseArgs(['--offset'], specs)).toThrow(/needs a value/);
    expect(() => parseArgs(['--offset', 'x'], specs)).toThrow(/needs a number/);
  });
});

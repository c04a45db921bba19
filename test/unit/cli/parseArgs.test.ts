import { describe, expect, it } from 'vitest';
import { parseArgs } from '../../../src/cli/parseArgs';
import { CliUsageError } from '../../../src/cli/cliTypes';
import { runCli } from '../../../src/cli/main';

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
  it('names the option as it was typed', () => {
    expect(() => parseArgs(['-n', 'abc'], specs)).toThrow("-n needs a number, got 'abc'");
    expect(() => parseArgs(['--offset=x'], specs)).toThrow("--offset needs a number, got 'x'");
    expect(() => parseArgs(['data.csv', '-n'], specs)).toThrow(/^-n needs a value$/);
    expect(() => parseArgs(['--json=yes'], specs)).toThrow(/^--json takes no value$/);
  });
});

describe('strata CMD --help', () => {
  async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(argv, { out: s => out.push(s), err: s => err.push(s), cwd: process.cwd() });
    return { code, out: out.join('\n'), err: err.join('\n') };
  }

  it('prints the command\'s summary and options, with exit code 0', async () => {
    for (const argv of [['diff', '--help'], ['help', 'diff'], ['diff', 'a.csv', '-h']]) {
      const r = await run(argv);
      expect(r.code, argv.join(' ')).toBe(0);
      expect(r.err).toBe('');
      expect(r.out.split('\n')[0]).toMatch(/^strata diff: schema, rows, cells and drift/);
      expect(r.out).toContain('  --rev-a VALUE\n');
      expect(r.out).toContain('  -k, --key VALUE (may repeat)\n');
      expect(r.out).toContain('  -n, --limit N\n');
      expect(r.out).toContain('  --json\n');
    }
    expect((await run(['head', '--help'])).out).toContain('\n  -n N\n  --offset N\n  --json\n');
    expect((await run(['init', '--help'])).out).not.toContain('Options:');
  });

  it('still lists every command for strata --help, and refuses an unknown one', async () => {
    const all = await run(['--help']);
    expect(all.code).toBe(0);
    expect(all.out).toMatch(/\n {2}profile {3,}column profiles/);
    const bad = await run(['frobnicate', '--help']);
    expect(bad.code).toBe(2);
    expect(bad.err).toBe("strata: unknown command 'frobnicate'. Run 'strata --help' for the list.");
  });
});

// Runs the CLI in a folder, in-process: its output as lines, its messages and its exit code.
import type { CliIO } from '../../../src/cli/cliTypes';
import { runCli } from '../../../src/cli/main';

export interface CliRun { code: number; out: string[]; err: string[] }

/** `strata ...argv` run in `cwd`: stdout split into lines, one stderr message per entry, the exit code. */
export async function runCliIn(cwd: string, argv: string[]): Promise<CliRun> {
  const out: string[] = [], err: string[] = [];
  const io: CliIO = { out: s => out.push(...s.split('\n')), err: s => err.push(s), cwd };
  const code = await runCli(argv, io);
  return { code, out, err };
}

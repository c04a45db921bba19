// Shared types of the CLI: a command, its options, and where it writes.

export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_ERROR = 2;

export interface CliIO {
  out(line: string): void;
  err(line: string): void;
  cwd: string;
}

export interface OptionSpec {
  /** Long name without dashes, e.g. `json`, `offset`. */
  name: string;
  short?: string;
  /** `flag` takes no value; `string`/`number` take one; `multi` may repeat. */
  kind: 'flag' | 'string' | 'number' | 'multi';
}

export interface ParsedArgs {
  positionals: string[];
  flags: Record<string, boolean>;
  values: Record<string, string | number | string[]>;
}

export interface CliCommand {
  name: string;
  summary: string;
  options: OptionSpec[];
  /** Lines of `strata CMD --help` after the options: what the arguments and options mean. */
  details?: string[];
  run(args: ParsedArgs, io: CliIO): Promise<number>;
}

/** Bad usage: reported as one line with exit code 2. */
export class CliUsageError extends Error {
  override readonly name = 'CliUsageError';
}

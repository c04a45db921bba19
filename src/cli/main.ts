// The `strata` command line: parses the subcommand and hands off to src/cli/commands/*.
import { CliUsageError, EXIT_ERROR, type CliCommand, type CliIO } from './cliTypes';
import { parseArgs } from './parseArgs';
import { headCommand } from './commands/head';
import { initCommand } from './commands/init';
import { addCommand } from './commands/add';
import { statusCommand } from './commands/status';
import { commitCommand } from './commands/commit';
import { logCommand } from './commands/log';
import { checkoutCommand } from './commands/checkout';
import { pushCommand } from './commands/push';
import { pullCommand } from './commands/pull';
import { profileCommand } from './commands/profile';
import { validateCommand } from './commands/validate';
import { inferCommand } from './commands/infer';
import { diffCommand } from './commands/diff';

const commands: CliCommand[] = [
  // each subcommand module adds itself here
  headCommand,
  initCommand,
  addCommand,
  statusCommand,
  commitCommand,
  logCommand,
  checkoutCommand,
  pushCommand,
  pullCommand,
  profileCommand,
  validateCommand,
  inferCommand,
  diffCommand,
];

export async function runCli(argv: string[], io: CliIO): Promise<number> {
  const [name, ...rest] = argv;
  const helpFlag = (a: string): boolean => a === '--help' || a === '-h';
  // `strata help CMD` and `strata CMD --help`: that command's summary and options
  const asked = name === 'help' ? commands.find(c => c.name === rest[0]) : rest.some(helpFlag) ? commands.find(c => c.name === name) : undefined;
  if (asked) {
    io.out(commandUsage(asked));
    return 0;
  }
  if (!name || helpFlag(name) || name === 'help') {
    io.out(usage());
    return name ? 0 : EXIT_ERROR;
  }
  if (name === '--version' || name === '-V') {
    io.out(STRATA_VERSION);
    return 0;
  }
  const command = commands.find(c => c.name === name);
  if (!command) {
    io.err(`strata: unknown command '${name}'. Run 'strata --help' for the list.`);
    return EXIT_ERROR;
  }
  try {
    const args = parseArgs(rest, command.options);
    return await command.run(args, io);
  } catch (e) {
    io.err(`strata ${name}: ${errorLine(e)}`);
    return EXIT_ERROR;
  }
}

function errorLine(e: unknown): string {
  if (e instanceof CliUsageError) { return e.message; }
  if (e instanceof Error) { return e.message.split('\n')[0]; }
  return String(e);
}

/** One command's help: its summary and options, from its option specs. */
export function commandUsage(c: CliCommand): string {
  const opts = c.options.map(o => {
    const value = o.kind === 'flag' ? '' : o.kind === 'number' ? ' N' : ' VALUE';
    const names = o.name.length === 1 ? `-${o.name}` : `${o.short ? `-${o.short}, ` : ''}--${o.name}`;
    return `  ${names}${value}${o.kind === 'multi' ? ' (may repeat)' : ''}`;
  });
  return [
    `strata ${c.name}: ${c.summary}`,
    '',
    ...(opts.length ? ['Options:', ...opts, ''] : []),
    ...(c.details ? [...c.details, ''] : []),
    'Exit codes: 0 fine, 1 findings, 2 error.',
  ].join('\n');
}

function usage(): string {
  const width = Math.max(...commands.map(c => c.name.length), 4);
  const lines = commands.map(c => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return [
    'strata: inspect, validate, version and diff datasets',
    '',
    'Usage: strata <command> [options]',
    '',
    'Commands:',
    ...lines,
    '',
    'Exit codes: 0 fine, 1 findings, 2 error.',
  ].join('\n');
}

declare const STRATA_VERSION: string;

if (require.main === module) {
  const io: CliIO = {
    out: s => process.stdout.write(s + '\n'),
    err: s => process.stderr.write(s + '\n'),
    cwd: process.cwd(),
  };
  // a reader that stops early (`strata head big.csv -n 100000 | head`) closes the pipe: stop quietly, as other
  // command-line tools do, instead of failing on the next write
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code !== 'EPIPE') { throw e; }
      process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
    });
  }
  runCli(process.argv.slice(2), io).then(code => { process.exitCode = code; }, e => {
    process.stderr.write(`strata: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = EXIT_ERROR;
  });
}

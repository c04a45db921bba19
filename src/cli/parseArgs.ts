// A small, strict argv parser: unknown options and missing values are usage errors.
import { CliUsageError, type OptionSpec, type ParsedArgs } from './cliTypes';

export function parseArgs(argv: string[], specs: OptionSpec[]): ParsedArgs {
  const out: ParsedArgs = { positionals: [], flags: {}, values: {} };
  const byName = new Map(specs.map(s => [s.name, s]));
  const byShort = new Map(specs.filter(s => s.short).map(s => [s.short as string, s]));
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') { out.positionals.push(...argv.slice(i + 1)); break; }
    let spec: OptionSpec | undefined;
    let inline: string | undefined;
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = eq >= 0 ? a.slice(2, eq) : a.slice(2);
      inline = eq >= 0 ? a.slice(eq + 1) : undefined;
      spec = byName.get(name);
      if (!spec) { throw new CliUsageError(`unknown option --${name}`); }
    } else if (a.startsWith('-') && a.length > 1 && !/^-\d/.test(a)) {
      spec = byShort.get(a.slice(1));
      if (!spec) { throw new CliUsageError(`unknown option ${a}`); }
    } else {
      out.positionals.push(a);
      continue;
    }
    // messages name the option as it was typed (`-n`, or `--offset`)
    const shown = inline === undefined ? a : a.slice(0, a.indexOf('='));
    if (spec.kind === 'flag') {
      if (inline !== undefined) { throw new CliUsageError(`${shown} takes no value`); }
      out.flags[spec.name] = true;
      continue;
    }
    const raw = inline ?? argv[++i];
    if (raw === undefined) { throw new CliUsageError(`${shown} needs a value`); }
    if (spec.kind === 'number') {
      const n = Number(raw);
      if (!Number.isFinite(n)) { throw new CliUsageError(`${shown} needs a number, got '${raw}'`); }
      out.values[spec.name] = n;
    } else if (spec.kind === 'multi') {
      const prev = out.values[spec.name];
      out.values[spec.name] = Array.isArray(prev) ? [...prev, raw] : [raw];
    } else {
      out.values[spec.name] = raw;
    }
  }
  return out;
}

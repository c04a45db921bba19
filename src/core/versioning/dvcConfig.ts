// `.dvc/config` as DVC (configobj) writes it: `[core]`, `['remote "name"']`, four-space-indented `key = value`.
import { VersioningError } from './versioningError';

interface ConfigLine { key?: string; value?: string; raw?: string }
interface ConfigSection { name: string; lines: ConfigLine[] }

/** The config file, in order, with comments kept. */
export interface DvcConfig {
  /** Lines before the first section (comments). */
  preamble: string[];
  sections: ConfigSection[];
}

export interface RemoteConfig {
  name: string;
  url: string;
  endpointurl?: string;
  /** Every key of the section, as written. */
  options: Record<string, string>;
}

export function emptyConfig(): DvcConfig {
  return { preamble: [], sections: [] };
}

export function parseDvcConfig(text: string, label = '.dvc/config'): DvcConfig {
  const cfg = emptyConfig();
  let current: ConfigSection | undefined;
  const lines = text.split(/\r?\n/);
  lines.forEach((line, i) => {
    const t = line.trim();
    if (t === '' || t.startsWith('#') || t.startsWith(';')) {
      if (t === '') { return; }
      if (current) { current.lines.push({ raw: t }); } else { cfg.preamble.push(t); }
      return;
    }
    const sec = /^\[(.*)\]$/.exec(t);
    if (sec) {
      current = { name: unquote(sec[1].trim()), lines: [] };
      cfg.sections.push(current);
      return;
    }
    const kv = /^([^=]+?)\s*=\s*(.*)$/.exec(t);
    if (!kv || !current) {
      throw new VersioningError('invalid-config', `${label}: line ${i + 1} is neither a [section] nor 'key = value': ${t}`);
    }
    current.lines.push({ key: kv[1].trim(), value: unquote(stripComment(kv[2])) });
  });
  return cfg;
}

export function serializeDvcConfig(cfg: DvcConfig): string {
  const out: string[] = [...cfg.preamble];
  for (const s of cfg.sections) {
    out.push(`[${sectionHeader(s.name)}]`);
    for (const l of s.lines) {
      out.push(l.key !== undefined ? `    ${l.key} = ${quoteValue(l.value ?? '')}` : `    ${l.raw ?? ''}`);
    }
  }
  return out.length ? out.join('\n') + '\n' : '';
}

/** A value, or undefined: `getValue(cfg, 'core', 'remote')`. */
export function getValue(cfg: DvcConfig, section: string, key: string): string | undefined {
  const s = cfg.sections.find(x => x.name === section);
  return s?.lines.find(l => l.key === key)?.value;
}

export function setValue(cfg: DvcConfig, section: string, key: string, value: string): DvcConfig {
  const next: DvcConfig = { preamble: [...cfg.preamble], sections: cfg.sections.map(s => ({ name: s.name, lines: [...s.lines] })) };
  let s = next.sections.find(x => x.name === section);
  if (!s) { s = { name: section, lines: [] }; next.sections.push(s); }
  const i = s.lines.findIndex(l => l.key === key);
  if (i >= 0) { s.lines[i] = { key, value }; } else { s.lines.push({ key, value }); }
  return next;
}

export function remoteSection(name: string): string {
  return `remote "${name}"`;
}

export function listRemotes(cfg: DvcConfig): RemoteConfig[] {
  const out: RemoteConfig[] = [];
  for (const s of cfg.sections) {
    const m = /^remote\s+"(.+)"$/.exec(s.name);
    if (!m) { continue; }
    const options: Record<string, string> = {};
    for (const l of s.lines) { if (l.key !== undefined) { options[l.key] = l.value ?? ''; } }
    if (!options.url) { continue; }
    out.push({ name: m[1], url: options.url, endpointurl: options.endpointurl, options });
  }
  return out;
}

/** The remote named, or `core.remote`; `no-remote` when there is none. */
export function selectRemote(cfg: DvcConfig, name?: string): RemoteConfig {
  const remotes = listRemotes(cfg);
  const wanted = name ?? getValue(cfg, 'core', 'remote');
  if (!wanted) {
    throw new VersioningError('no-remote', remotes.length
      ? `no default remote; name one with -r (${remotes.map(r => r.name).join(', ')}) or set 'remote' under [core] in .dvc/config`
      : `no remote is configured; add a ['remote "name"'] section with a url to .dvc/config`);
  }
  const r = remotes.find(x => x.name === wanted);
  if (!r) { throw new VersioningError('no-remote', `remote '${wanted}' is not in .dvc/config`); }
  return r;
}

/** Merge `config.local` over `config` (local wins key by key), as DVC does. */
export function mergeConfigs(base: DvcConfig, local: DvcConfig): DvcConfig {
  let out = base;
  for (const s of local.sections) {
    for (const l of s.lines) { if (l.key !== undefined) { out = setValue(out, s.name, l.key, l.value ?? ''); } }
  }
  return out;
}

function sectionHeader(name: string): string {
  // configobj quotes a section name containing double quotes with single quotes
  return name.includes('"') ? `'${name}'` : name;
}

function unquote(s: string): string {
  if (s.length >= 2 && ((s.startsWith("'") && s.endsWith("'")) || (s.startsWith('"') && s.endsWith('"')))) {
    return s.slice(1, -1);
  }
  return s;
}

function stripComment(v: string): string {
  if (v.startsWith("'") || v.startsWith('"')) { return v.trim(); }
  const i = v.indexOf(' #');
  return (i >= 0 ? v.slice(0, i) : v).trim();
}

function quoteValue(v: string): string {
  if (v === '' || /^\s|\s$|#|^['"]/.test(v)) { return v.includes("'") ? `"${v}"` : `'${v}'`; }
  return v;
}

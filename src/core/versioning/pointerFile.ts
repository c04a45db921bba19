// The `.dvc` pointer file: parse, validate, update and serialize it as DVC 3 writes it, keeping unknown keys and comments.
import { Document, isMap, isScalar, isSeq, parseDocument, type Pair, type YAMLMap } from 'yaml';
import { VersioningError } from './versioningError';

/** How an output's hash was computed: DVC 3 (`hash: md5`) or DVC 2.x (no `hash:` key). */
export type HashAlgorithm = 'md5' | 'md5-dos2unix';

/** One entry of `outs:` as Strata reads it; unknown keys stay in the document. */
export interface PointerOutput {
  /** 32 hex digits, with `.dir` appended for a folder; undefined when the pointer has no hash yet. */
  md5?: string;
  size?: number;
  nfiles?: number;
  algorithm: HashAlgorithm;
  /** The output path as written, relative to the folder holding the `.dvc` file (posix). */
  path: string;
  /** The output's `meta:` mapping (Strata keeps its own figures there: rows, columns, ...). */
  meta?: Record<string, unknown>;
  isDir: boolean;
}

export interface DvcPointer {
  /** The parsed YAML document; edit it only through the functions in this module. */
  readonly document: Document;
  readonly outs: PointerOutput[];
}

/** Figures Strata records under an output's `meta:`; DVC ignores them. */
export interface StrataMeta {
  rows?: number;
  columns?: number;
  [key: string]: unknown;
}

const MD5_RE = /^[0-9a-f]{32}(\.dir)?$/;
const CONFLICT_RE = /^(<{7}|={7}|>{7})(\s|$)/m;
/** Keys DVC writes first, in this order: hash value, metadata, `hash`, `path`; everything else follows as it was. */
const KEY_ORDER = ['md5', 'size', 'nfiles', 'isexec', 'hash', 'path'];
const STRATA_META_KEYS = ['rows', 'columns'];

/**
 * The plain form DVC and Strata write for one output with nothing else (`md5`, `size`, [`nfiles`],
 * `hash: md5`, `path`): read without building a YAML document, which status does for every pointer.
 */
const SIMPLE_RE = /^outs:\n- md5: ([0-9a-f]{32}(?:\.dir)?)\n {2}size: (\d{1,15})\n(?: {2}nfiles: (\d{1,15})\n)? {2}hash: md5\n {2}path: ([A-Za-z_][A-Za-z0-9_./-]*)\n?$/;
/** Plain scalars YAML would read as something other than a string. */
const NON_STRING_RE = /^(true|false|null|yes|no|on|off)$/i;

function parseSimple(text: string): DvcPointer | undefined {
  const m = SIMPLE_RE.exec(text);
  if (!m || NON_STRING_RE.test(m[4]) || m[4].includes('//') || m[4].endsWith('/')) { return undefined; }
  const out: PointerOutput = {
    md5: m[1], size: Number(m[2]), nfiles: m[3] === undefined ? undefined : Number(m[3]),
    algorithm: 'md5', path: m[4], meta: undefined, isDir: m[1].endsWith('.dir'),
  };
  let doc: Document | undefined;
  // the document is built only if the pointer is rewritten
  return { get document() { return (doc ??= parseDocument(text)); }, outs: [out] };
}

/** Parse a `.dvc` file's text; `label` (its path) goes into every error message. */
export function parsePointer(text: string, label: string): DvcPointer {
  const simple = parseSimple(text);
  if (simple) { return simple; }
  if (CONFLICT_RE.test(text)) {
    throw new VersioningError('merge-conflict', `${label}: has git merge conflict markers; resolve the conflict, then try again`);
  }
  if (text.trim() === '') {
    throw new VersioningError('invalid-pointer', `${label}: is empty`);
  }
  const document = parseDocument(text, { prettyErrors: false, uniqueKeys: true });
  if (document.errors.length > 0) {
    const err = document.errors[0];
    const line = err.linePos?.[0].line;
    throw new VersioningError('invalid-pointer', `${label}: not valid YAML${line ? ` (line ${line})` : ''}: ${firstLine(err.message)}`);
  }
  const root = document.contents;
  if (!isMap(root)) {
    throw new VersioningError('invalid-pointer', `${label}: expected a mapping with an 'outs' list`);
  }
  const outsNode = root.get('outs', true);
  if (!isSeq(outsNode) || outsNode.items.length === 0) {
    throw new VersioningError('invalid-pointer', `${label}: has no 'outs' list (truncated or not a DVC pointer)`);
  }
  const outs = outsNode.items.map((item, i) => readOutput(item, `${label}: outs[${i}]`));
  return { document, outs };
}

function readOutput(node: unknown, where: string): PointerOutput {
  if (!isMap(node)) { throw new VersioningError('invalid-pointer', `${where} is not a mapping`); }
  const js = node.toJSON() as Record<string, unknown>;
  const path = js.path;
  if (typeof path !== 'string' || path === '') {
    throw new VersioningError('invalid-pointer', `${where} has no 'path'`);
  }
  const md5 = js.md5;
  if (md5 !== undefined && md5 !== null && (typeof md5 !== 'string' || !MD5_RE.test(md5))) {
    throw new VersioningError('invalid-pointer', `${where}.md5 is not an md5 (32 hex digits, '.dir' for a folder): ${JSON.stringify(md5)}`);
  }
  const size = optionalCount(js.size, `${where}.size`);
  const nfiles = optionalCount(js.nfiles, `${where}.nfiles`);
  const hash = js.hash;
  if (hash !== undefined && hash !== 'md5') {
    throw new VersioningError('unsupported', `${where}.hash is ${JSON.stringify(hash)}; Strata reads md5 outputs only`);
  }
  if (md5 === undefined && (js.etag !== undefined || js.checksum !== undefined)) {
    throw new VersioningError('unsupported', `${where} is a cloud output without an md5; Strata reads md5 outputs only`);
  }
  const meta = js.meta;
  return {
    md5: typeof md5 === 'string' ? md5 : undefined,
    size,
    nfiles,
    algorithm: hash === 'md5' ? 'md5' : 'md5-dos2unix',
    path,
    meta: meta !== null && typeof meta === 'object' && !Array.isArray(meta) ? meta as Record<string, unknown> : undefined,
    isDir: typeof md5 === 'string' && md5.endsWith('.dir'),
  };
}

function optionalCount(v: unknown, where: string): number | undefined {
  if (v === undefined || v === null) { return undefined; }
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) {
    throw new VersioningError('invalid-pointer', `${where} is not a byte/file count: ${JSON.stringify(v)}`);
  }
  return v;
}

/** The new hash and figures of one output, written by `track` and `commit`. */
export interface OutputUpdate {
  md5: string;
  size: number;
  /** Folders only. */
  nfiles?: number;
  /** Strata's figures; when the hash changes and none are given, stale `rows`/`columns` are dropped. */
  meta?: StrataMeta;
}

/** A new pointer for one output, as DVC 3 writes it. */
export function createPointer(path: string, update: OutputUpdate): DvcPointer {
  const doc = new Document({ outs: [{ path }] });
  const pointer: DvcPointer = { document: doc, outs: [] };
  return updateOutput(pointer, 0, update);
}

/** Return the pointer with output `index` set to a new version (hash: md5, DVC 3), key order as DVC writes it. */
export function updateOutput(pointer: DvcPointer, index: number, update: OutputUpdate): DvcPointer {
  const doc = pointer.document.clone();
  const outs = (doc.contents as YAMLMap).get('outs', true);
  if (!isSeq(outs) || !isMap(outs.items[index])) {
    throw new VersioningError('invalid-pointer', `pointer has no output #${index}`);
  }
  const out = outs.items[index] as YAMLMap;
  const previous = out.get('md5');
  out.set('md5', update.md5);
  out.set('size', update.size);
  if (update.nfiles !== undefined) { out.set('nfiles', update.nfiles); } else { out.delete('nfiles'); }
  out.set('hash', 'md5');
  if (update.meta && Object.keys(update.meta).length > 0) {
    for (const [k, v] of Object.entries(update.meta)) {
      if (v !== undefined) { setMeta(doc, out, k, v); }
    }
  } else if (previous !== update.md5) {
    const meta = out.get('meta', true);
    if (isMap(meta)) {
      for (const k of STRATA_META_KEYS) { meta.delete(k); }
      if (meta.items.length === 0) { out.delete('meta'); }
    }
  }
  orderKeys(out);
  return { document: doc, outs: (outs.items as unknown[]).map((item, i) => readOutput(item, `outs[${i}]`)) };
}

function setMeta(doc: Document, out: YAMLMap, key: string, value: unknown): void {
  const meta = out.get('meta', true);
  if (!isMap(meta)) { out.set('meta', doc.createNode({ [key]: value })); return; }
  meta.set(key, value);
}

function orderKeys(out: YAMLMap): void {
  const keyOf = (p: Pair) => (isScalar(p.key) ? String(p.key.value) : String(p.key));
  const first: Pair[] = [];
  for (const k of KEY_ORDER) {
    const pair = (out.items as Pair[]).find(p => keyOf(p) === k);
    if (pair) { first.push(pair); }
  }
  const rest = (out.items as Pair[]).filter(p => !KEY_ORDER.includes(keyOf(p)));
  out.items = [...first, ...rest];
}

/** The pointer's text as DVC writes it (block style, list items flush with their key). */
export function serializePointer(pointer: DvcPointer): string {
  return pointer.document.toString({ indentSeq: false, lineWidth: 0 });
}

function firstLine(s: string): string {
  return s.split('\n')[0];
}

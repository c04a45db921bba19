import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createPointer, parsePointer, serializePointer, updateOutput } from '../../../src/core/versioning/pointerFile';
import { parseManifest, pyJsonString, serializeManifest } from '../../../src/core/versioning/dirManifest';
import { contentMd5, hashFromObjectRelPath, objectRelPath } from '../../../src/core/versioning/cachePaths';
import { createDos2Unix, isTextBlock } from '../../../src/core/versioning/dos2unix';
import { parseDvcConfig, selectRemote, serializeDvcConfig, setValue, remoteSection, emptyConfig, mergeConfigs } from '../../../src/core/versioning/dvcConfig';
import { checkRelPath, resolveOutputPath } from '../../../src/core/versioning/workspacePaths';
import { datasetState } from '../../../src/core/versioning/datasetState';
import { VersioningError } from '../../../src/core/versioning/versioningError';

const FIX = join(__dirname, '../../fixtures/versioning');
const fixture = (name: string) => readFileSync(join(FIX, name), 'utf8');
const md5 = (s: string | Uint8Array) => createHash('md5').update(s).digest('hex');

function codeOf(fn: () => unknown): string | undefined {
  try { fn(); } catch (e) { return e instanceof VersioningError ? e.code : `not a VersioningError: ${String(e)}`; }
  return undefined;
}

describe('directory manifests', () => {
  it('match DVC\'s own test vectors literally', () => {
    const one = serializeManifest([{ relpath: '2', md5: md5('2') }, { relpath: '1', md5: md5('1') }]);
    expect(one).toBe('[{"md5": "c4ca4238a0b923820dcc509a6f75849b", "relpath": "1"}, {"md5": "c81e728d9d4c2f636f067f89cc14862c", "relpath": "2"}]');
    expect(md5(one) + '.dir').toBe('5fb6b29836c388e093ca0715c872fe2a.dir');
    expect(md5(serializeManifest([{ relpath: 'file', md5: md5('text') }])) + '.dir').toBe('0dab3fae569586d4c33272e5011605bf.dir');
  });

  it('match a hand-written manifest of a small folder, sorted by relpath string (a-b < a.csv < sub.txt < sub/b.txt)', () => {
    const expected = JSON.parse(fixture('smalldir.expected.json')) as { manifest: string; hash: string };
    const text = serializeManifest([
      { relpath: 'sub/b.txt', md5: 'b1946ac92492d2347c6235b4d2611184' },
      { relpath: 'sub.txt', md5: '9c134b68bda2a13fdd45e305317a72f7' },
      { relpath: 'a.csv', md5: '5d02e4d2354eae28589766cca211477d' },
      { relpath: 'a-b', md5: '9dd4e461268c8034f5c8564e155c67a6' },
    ]);
    expect(text).toBe(expected.manifest);
    expect(md5(text) + '.dir').toBe(expected.hash);
    expect(serializeManifest([])).toBe('[]');
  });

  it('escape strings as Python json.dumps(ensure_ascii=True) does', () => {
    expect(pyJsonString('café')).toBe('"caf\\u00e9"');
    expect(pyJsonString('a"b\\c\nd\te\x01\x7f')).toBe('"a\\"b\\\\c\\nd\\te\\u0001\\u007f"');
    expect(pyJsonString('😀')).toBe('"\\ud83d\\ude00"');
  });

  it('sort by code point like Python, not by UTF-16 unit', () => {
    const text = serializeManifest([{ relpath: '😀', md5: md5('a') }, { relpath: '\uff01', md5: md5('b') }]);
    expect(text.indexOf('\\uff01')).toBeLessThan(text.indexOf('\\ud83d'));
  });

  it('parse back, and refuse entries that leave the folder', () => {
    const entries = parseManifest(JSON.parse(fixture('smalldir.expected.json')).manifest, 'm');
    expect(entries.map(e => e.relpath)).toEqual(['a-b', 'a.csv', 'sub.txt', 'sub/b.txt']);
    expect(codeOf(() => parseManifest('[{"md5": "c4ca4238a0b923820dcc509a6f75849b", "relpath": "../../etc/passwd"}]', 'm'))).toBe('path-escape');
    expect(codeOf(() => parseManifest('{"md5": 1}', 'm'))).toBe('invalid-pointer');
  });
});

describe('pointer files', () => {
  it('parse a DVC 3 pointer, keep unknown keys and comments when rewritten', () => {
    const p = parsePointer(fixture('dvc3-file.dvc'), 'foo.dvc');
    expect(p.outs).toHaveLength(1);
    expect(p.outs[0]).toMatchObject({ md5: 'acbd18db4cc2f85cedef654fccc4a4d8', size: 3, algorithm: 'md5', path: 'foo', isDir: false });
    const next = updateOutput(p, 0, { md5: '37b51d194a7513e45b56f6524f2d51f2', size: 3 });
    expect(serializePointer(next)).toBe([
      '# pointer written by hand in DVC 3 layout',
      'outs:',
      '- md5: 37b51d194a7513e45b56f6524f2d51f2',
      '  size: 3',
      '  hash: md5',
      '  path: foo',
      '  desc: the foo dataset # kept when rewritten',
      '  meta:',
      '    owner: data-team',
      'frozen: true',
      '',
    ].join('\n'));
  });

  it('write a new pointer exactly as DVC 3 does, with Strata figures under meta', () => {
    expect(serializePointer(createPointer('foo', { md5: 'acbd18db4cc2f85cedef654fccc4a4d8', size: 3 }))).toBe(
      'outs:\n- md5: acbd18db4cc2f85cedef654fccc4a4d8\n  size: 3\n  hash: md5\n  path: foo\n');
    const dir = createPointer('smalldir', { md5: '3e87822f6251a76b8cfc1df90dd7db47.dir', size: 20, nfiles: 4, meta: { rows: 10, columns: 2 } });
    expect(serializePointer(dir)).toBe(fixture('dvc3-dir.dvc').replace('path: smalldir\n', 'path: smalldir\n  meta:\n    rows: 10\n    columns: 2\n'));
    expect(parsePointer(serializePointer(dir), 'x').outs[0]).toMatchObject({ isDir: true, nfiles: 4, meta: { rows: 10, columns: 2 } });
  });

  it('read the plain form quickly with the same result as the full YAML parse', () => {
    for (const text of [
      'outs:\n- md5: acbd18db4cc2f85cedef654fccc4a4d8\n  size: 3\n  hash: md5\n  path: data/foo.csv\n',
      readFileSync(join(FIX, 'dvc3-dir.dvc'), 'utf8'),
      'outs:\n- md5: acbd18db4cc2f85cedef654fccc4a4d8\n  size: 3\n  hash: md5\n  path: true\n', // YAML boolean: refused either way
    ]) {
      const full = (() => { try { return parsePointer(`# forces the full parser\n${text}`, 'p').outs; } catch (e) { return (e as Error).message; } })();
      const fast = (() => { try { return parsePointer(text, 'p').outs; } catch (e) { return (e as Error).message; } })();
      expect(fast).toEqual(full);
    }
    const p = parsePointer('outs:\n- md5: acbd18db4cc2f85cedef654fccc4a4d8\n  size: 3\n  hash: md5\n  path: foo\n', 'p');
    expect(serializePointer(updateOutput(p, 0, { md5: '37b51d194a7513e45b56f6524f2d51f2', size: 3 }))).toBe('outs:\n- md5: 37b51d194a7513e45b56f6524f2d51f2\n  size: 3\n  hash: md5\n  path: foo\n');
  });

  it('quote an all-digit md5 so it stays a string', () => {
    const text = serializePointer(createPointer('n', { md5: '12345678901234567890123456789012', size: 1 }));
    expect(parsePointer(text, 'n.dvc').outs[0].md5).toBe('12345678901234567890123456789012');
  });

  it('read a DVC 2.x pointer as md5-dos2unix and rewrite it as DVC 3', () => {
    const p = parsePointer(fixture('dvc2-legacy.dvc'), 'crlf.txt.dvc');
    expect(p.outs[0].algorithm).toBe('md5-dos2unix');
    const next = updateOutput(p, 0, { md5: 'dd8c6a395b5dd36c56d23275028f526c', size: 4 });
    expect(serializePointer(next)).toBe('outs:\n- md5: dd8c6a395b5dd36c56d23275028f526c\n  size: 4\n  hash: md5\n  path: crlf.txt\n');
  });

  it('refuse conflict markers, truncated files and junk with the file name in the message', () => {
    expect(() => parsePointer(fixture('conflict.dvc'), 'data/foo.dvc')).toThrow(/data\/foo\.dvc: has git merge conflict markers/);
    expect(codeOf(() => parsePointer(fixture('conflict.dvc'), 'x'))).toBe('merge-conflict');
    expect(() => parsePointer(fixture('truncated.dvc'), 'data/t.dvc')).toThrow(/data\/t\.dvc: outs\[0\]/);
    expect(codeOf(() => parsePointer('', 'e.dvc'))).toBe('invalid-pointer');
    expect(codeOf(() => parsePointer('outs: [\n', 'e.dvc'))).toBe('invalid-pointer');
    expect(codeOf(() => parsePointer('- a\n- b\n', 'e.dvc'))).toBe('invalid-pointer');
    expect(codeOf(() => parsePointer('outs:\n- md5: acbd18db4cc2f85cedef654fccc4a4d8\n', 'e.dvc'))).toBe('invalid-pointer');
    expect(codeOf(() => parsePointer('outs:\n- md5: acbd18db4cc2f85cedef654fccc4a4d8\n  size: -1\n  path: x\n', 'e.dvc'))).toBe('invalid-pointer');
    expect(codeOf(() => parsePointer('outs:\n- etag: abc\n  hash: etag\n  path: x\n', 'e.dvc'))).toBe('unsupported');
  });
});

describe('cache paths', () => {
  it('map hashes to DVC 3 and legacy locations and back', () => {
    expect(objectRelPath('acbd18db4cc2f85cedef654fccc4a4d8')).toBe('files/md5/ac/bd18db4cc2f85cedef654fccc4a4d8');
    expect(objectRelPath('5fb6b29836c388e093ca0715c872fe2a.dir')).toBe('files/md5/5f/b6b29836c388e093ca0715c872fe2a.dir');
    expect(objectRelPath('acbd18db4cc2f85cedef654fccc4a4d8', 'md5-dos2unix')).toBe('ac/bd18db4cc2f85cedef654fccc4a4d8');
    expect(hashFromObjectRelPath('files/md5/5f/b6b29836c388e093ca0715c872fe2a.dir')).toEqual({ hash: '5fb6b29836c388e093ca0715c872fe2a.dir', algorithm: 'md5' });
    expect(hashFromObjectRelPath('files/md5/5f/.tmp-123')).toBeUndefined();
    expect(contentMd5('5fb6b29836c388e093ca0715c872fe2a.dir')).toBe('5fb6b29836c388e093ca0715c872fe2a');
    expect(() => objectRelPath('../../etc')).toThrow();
  });
});

describe('md5-dos2unix', () => {
  it('judges text like DVC', () => {
    expect(isTextBlock(new TextEncoder().encode('a,b\r\n1,2\r\n'))).toBe(true);
    expect(isTextBlock(Uint8Array.of(65, 0, 66))).toBe(false);
    expect(isTextBlock(Uint8Array.of(200, 201, 65, 66, 67))).toBe(false); // 40% non-text
    expect(isTextBlock(Uint8Array.of(200, 65, 66, 67))).toBe(true); // 25%
  });

  it('converts CRLF split across chunks, keeps a lone CR', () => {
    const conv = createDos2Unix();
    const parts = [conv.push(new TextEncoder().encode('a\r')), conv.push(new TextEncoder().encode('\nb\r')), conv.push(new TextEncoder().encode('c\r')), conv.end()];
    const all = Buffer.concat(parts.map(p => Buffer.from(p)));
    expect(all.toString('latin1')).toBe('a\nb\rc\r');
    const c2 = createDos2Unix();
    const crlf = Buffer.concat([c2.push(new TextEncoder().encode('a\r\nb\r\n')), c2.end()].map(p => Buffer.from(p)));
    expect(md5(crlf)).toBe('dd8c6a395b5dd36c56d23275028f526c'); // md5sum of "a\nb\n"
  });
});

describe('.dvc/config', () => {
  it('reads remotes and writes the file back as DVC does', () => {
    const text = fixture('config');
    const cfg = parseDvcConfig(text);
    expect(selectRemote(cfg)).toMatchObject({ name: 'storage', url: 's3://bucket/some/prefix', endpointurl: 'http://127.0.0.1:9000' });
    expect(selectRemote(cfg, 'backup').url).toBe('/mnt/backup/dvc');
    expect(serializeDvcConfig(cfg)).toBe(text);
    expect(codeOf(() => selectRemote(cfg, 'nope'))).toBe('no-remote');
    expect(codeOf(() => selectRemote(emptyConfig()))).toBe('no-remote');
  });

  it('builds a config from nothing in DVC\'s layout', () => {
    let cfg = setValue(emptyConfig(), 'core', 'remote', 'local');
    cfg = setValue(cfg, remoteSection('local'), 'url', '../store');
    expect(serializeDvcConfig(cfg)).toBe("[core]\n    remote = local\n['remote \"local\"']\n    url = ../store\n");
    const merged = mergeConfigs(cfg, parseDvcConfig("['remote \"local\"']\n    url = /elsewhere\n"));
    expect(selectRemote(merged).url).toBe('/elsewhere');
  });

  it('reports a malformed line with its number', () => {
    expect(() => parseDvcConfig('[core]\nremote storage\n')).toThrow(/line 2/);
  });
});

describe('path safety', () => {
  it('resolves outputs relative to the pointer folder', () => {
    expect(resolveOutputPath('data/foo.csv.dvc', 'foo.csv')).toBe('data/foo.csv');
    expect(resolveOutputPath('data/x/foo.dvc', '../foo')).toBe('data/foo');
    expect(checkRelPath('a/./b//c', 'x')).toBe('a/b/c');
  });

  it('refuses absolute paths and .. escapes', () => {
    expect(codeOf(() => resolveOutputPath('data/foo.dvc', '../../etc/passwd'))).toBe('path-escape');
    expect(codeOf(() => resolveOutputPath('foo.dvc', '/etc/passwd'))).toBe('path-escape');
    expect(codeOf(() => resolveOutputPath('foo.dvc', 'C:\\Windows\\x'))).toBe('path-escape');
    expect(codeOf(() => resolveOutputPath('foo.dvc', 'a/../../b'))).toBe('path-escape');
    expect(codeOf(() => resolveOutputPath('foo.dvc', '..\\..\\b'))).toBe('path-escape');
    expect(codeOf(() => resolveOutputPath('d/foo.dvc', '..'))).toBe('path-escape');
  });
});

describe('dataset state', () => {
  const out = parsePointer(fixture('dvc3-file.dvc'), 'foo.dvc').outs[0];
  it('is decided from workspace and cache facts', () => {
    expect(datasetState(out, { exists: false }, { hasObject: true })).toBe('missing');
    expect(datasetState(out, { exists: false }, { hasObject: false })).toBe('not-in-cache');
    expect(datasetState({ ...out, md5: undefined }, { exists: false }, { hasObject: false })).toBe('missing');
    expect(datasetState(out, { exists: true, hash: 'acbd18db4cc2f85cedef654fccc4a4d8' }, { hasObject: true })).toBe('unchanged');
    expect(datasetState(out, { exists: true, hash: 'acbd18db4cc2f85cedef654fccc4a4d8' }, { hasObject: false })).toBe('not-in-cache');
    expect(datasetState(out, { exists: true, hash: '37b51d194a7513e45b56f6524f2d51f2' }, { hasObject: true })).toBe('modified');
  });
});

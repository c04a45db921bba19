import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, readdirSync, utimesSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hashFile, CHUNK_BYTES } from '../../../src/node/versioning/md5Stream';
import { CacheStore } from '../../../src/node/versioning/cacheStore';
import { StateStore } from '../../../src/node/versioning/stateStore';
import { writeFileAtomic } from '../../../src/node/versioning/atomicFile';
import { isVersioningError } from '../../../src/core/versioning/versioningError';

const FIX = join(__dirname, '../../fixtures/versioning');
const md5sum = (path: string) => execFileSync('md5sum', [path], { encoding: 'utf8' }).slice(0, 32);

let dir: string;
beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'strata-cache-')); });
afterEach(() => {
  execFileSync('chmod', ['-R', 'u+w', dir]);
  rmSync(dir, { recursive: true, force: true });
});

async function errorCode(p: Promise<unknown>): Promise<string | undefined> {
  try { await p; } catch (e) { return isVersioningError(e) ? e.code : String(e); }
  return undefined;
}

describe('md5 of files', () => {
  it('matches md5sum on small files and on a file spanning several reads', async () => {
    expect((await hashFile(join(FIX, 'smalldir/a.csv'))).md5).toBe('5d02e4d2354eae28589766cca211477d');
    expect(await hashFile(join(FIX, 'smalldir/sub/b.txt'))).toEqual({ md5: 'b1946ac92492d2347c6235b4d2611184', size: 6 });
    const big = join(dir, 'big.bin');
    const bytes = Buffer.alloc(CHUNK_BYTES * 2 + 12345);
    for (let i = 0; i < bytes.length; i++) { bytes[i] = (i * 7919) & 0xff; }
    writeFileSync(big, bytes);
    expect(await hashFile(big)).toEqual({ md5: md5sum(big), size: bytes.length });
    const empty = join(dir, 'empty');
    writeFileSync(empty, '');
    expect((await hashFile(empty)).md5).toBe('d41d8cd98f00b204e9800998ecf8427e');
  });

  it('md5-dos2unix: converts CRLF of text files (even across a read boundary), leaves binary files alone', async () => {
    const text = join(dir, 'crlf.txt');
    const body = Buffer.concat([Buffer.alloc(CHUNK_BYTES - 1, 'a'), Buffer.from('\r\nb\r\n')]);
    writeFileSync(text, body);
    const unix = join(dir, 'lf.txt');
    writeFileSync(unix, Buffer.from(body.toString('latin1').replace(/\r\n/g, '\n'), 'latin1'));
    expect((await hashFile(text, { algorithm: 'md5-dos2unix' })).md5).toBe(md5sum(unix));
    expect((await hashFile(text)).md5).toBe(md5sum(text));
    const bin = join(dir, 'bin');
    writeFileSync(bin, Buffer.from([0, 1, 13, 10, 2]));
    expect((await hashFile(bin, { algorithm: 'md5-dos2unix' })).md5).toBe(md5sum(bin));
  });

  it('stops when cancelled', async () => {
    const big = join(dir, 'big');
    writeFileSync(big, Buffer.alloc(CHUNK_BYTES * 3));
    const ac = new AbortController();
    const p = hashFile(big, { signal: ac.signal, onProgress: () => ac.abort() });
    expect(await errorCode(p)).toBe('cancelled');
  });
});

describe('cache store', () => {
  it('stores a copy read-only under files/md5/xx/rest and leaves the source in place', async () => {
    const cache = new CacheStore(join(dir, 'cache'));
    const src = join(dir, 'foo');
    writeFileSync(src, 'foo');
    const added = await cache.addFile(src);
    expect(added).toEqual({ md5: 'acbd18db4cc2f85cedef654fccc4a4d8', size: 3, stored: true });
    const obj = join(dir, 'cache/files/md5/ac/bd18db4cc2f85cedef654fccc4a4d8');
    expect(readFileSync(obj, 'utf8')).toBe('foo');
    expect(statSync(obj).mode & 0o777).toBe(0o444);
    expect(readFileSync(src, 'utf8')).toBe('foo');
    expect((await cache.addFile(src)).stored).toBe(false);
    expect(await cache.listObjects()).toEqual(['acbd18db4cc2f85cedef654fccc4a4d8']);
    expect(readdirSync(join(dir, 'cache/files/md5')).filter(n => n.startsWith('.'))).toEqual([]);
  });

  it('checks out an object atomically, and refuses a corrupt one without touching the destination', async () => {
    const cache = new CacheStore(join(dir, 'cache'));
    const src = join(dir, 'foo');
    writeFileSync(src, 'foo');
    await cache.addFile(src);
    const dest = join(dir, 'out/foo');
    await cache.checkoutTo('acbd18db4cc2f85cedef654fccc4a4d8', dest);
    expect(readFileSync(dest, 'utf8')).toBe('foo');
    expect(statSync(dest).mode & 0o200).toBe(0o200);

    const obj = cache.objectPath('acbd18db4cc2f85cedef654fccc4a4d8');
    chmodSync(obj, 0o644);
    writeFileSync(obj, 'fox');
    writeFileSync(dest, 'mine');
    await expect(cache.checkoutTo('acbd18db4cc2f85cedef654fccc4a4d8', dest)).rejects.toThrow(/corrupt/);
    expect(await errorCode(cache.checkoutTo('acbd18db4cc2f85cedef654fccc4a4d8', dest))).toBe('hash-mismatch');
    expect(readFileSync(dest, 'utf8')).toBe('mine');
    expect(readdirSync(join(dir, 'out'))).toEqual(['foo']);
    expect(await cache.verify('acbd18db4cc2f85cedef654fccc4a4d8')).toBe(false);
    expect(await errorCode(cache.checkoutTo('37b51d194a7513e45b56f6524f2d51f2', dest))).toBe('missing-object');
  });

  it('accepts a download only when its md5 matches', async () => {
    const cache = new CacheStore(join(dir, 'cache'));
    const tmp = await cache.incomingPath();
    writeFileSync(tmp, 'fo'); // a partial download
    expect(await errorCode(cache.acceptIncoming(tmp, 'acbd18db4cc2f85cedef654fccc4a4d8'))).toBe('hash-mismatch');
    expect(await cache.has('acbd18db4cc2f85cedef654fccc4a4d8')).toBe(false);
    expect(existsSync(tmp)).toBe(false);
    const tmp2 = await cache.incomingPath();
    writeFileSync(tmp2, 'foo');
    await cache.acceptIncoming(tmp2, 'acbd18db4cc2f85cedef654fccc4a4d8');
    expect(await cache.verify('acbd18db4cc2f85cedef654fccc4a4d8')).toBe(true);
  });

  it('stores folder manifests by their hash and reads them back verified', async () => {
    const cache = new CacheStore(join(dir, 'cache'));
    const text = JSON.parse(readFileSync(join(FIX, 'smalldir.expected.json'), 'utf8')).manifest as string;
    await expect(cache.addBytes('0dab3fae569586d4c33272e5011605bf.dir', Buffer.from(text))).rejects.toThrow(/refusing/);
    expect(await cache.addBytes('3e87822f6251a76b8cfc1df90dd7db47.dir', Buffer.from(text))).toBe(true);
    const entries = await cache.readManifest('3e87822f6251a76b8cfc1df90dd7db47.dir');
    expect(entries).toHaveLength(4);
    expect(existsSync(join(dir, 'cache/files/md5/3e/87822f6251a76b8cfc1df90dd7db47.dir'))).toBe(true);
  });

  it('removes temp files of dead processes only', async () => {
    const cache = new CacheStore(join(dir, 'cache'));
    const mine = await cache.incomingPath();
    writeFileSync(mine, 'x');
    const dead = join(dir, 'cache/files/md5/.strata-tmp-999999999-abcd');
    writeFileSync(dead, 'x');
    expect(await cache.removeStaleTemps()).toBe(1);
    expect(existsSync(dead)).toBe(false);
    expect(existsSync(mine)).toBe(true);
  });
});

describe('state store', () => {
  it('returns the hash only while inode, size and mtime are unchanged, and persists it', async () => {
    const dvc = join(dir, '.dvc');
    const f = join(dir, 'data.csv');
    writeFileSync(f, 'a,b\n');
    const state = await StateStore.open(dvc);
    const st = await stat(f, { bigint: true });
    expect(state.lookup('data.csv', st)).toBeUndefined();
    state.record('data.csv', st, 'e2aa0d2b0c04e0a0a6a7a2c0c7f0b1a2');
    await state.save();
    const again = await StateStore.open(dvc);
    expect(again.lookup('data.csv', await stat(f, { bigint: true }))).toBe('e2aa0d2b0c04e0a0a6a7a2c0c7f0b1a2');
    utimesSync(f, new Date(), new Date(Date.now() + 5000));
    expect(again.lookup('data.csv', await stat(f, { bigint: true }))).toBeUndefined();
    writeFileSync(join(dvc, 'tmp/strata-state.json'), '{ truncated');
    expect((await StateStore.open(dvc)).lookup('data.csv', st)).toBeUndefined();
  });

  it('writes files atomically: no temp file remains', async () => {
    const target = join(dir, 'x.txt');
    await writeFileAtomic(target, 'one');
    await writeFileAtomic(target, 'two');
    expect(readFileSync(target, 'utf8')).toBe('two');
    expect(readdirSync(dir)).toEqual(['x.txt']);
    expect(createHash('md5').update('two').digest('hex')).toBe(md5sum(target));
  });
});

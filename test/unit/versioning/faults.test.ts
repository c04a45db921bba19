// Kills a real `strata` CLI process at random points during add, commit, checkout and pull, then checks nothing was damaged.
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePointer } from '../../../src/core/versioning/pointerFile';
import { initRepository } from '../../../src/node/versioning/initRepository';
import { trackPaths } from '../../../src/node/versioning/trackPaths';
import { commitVersions } from '../../../src/node/versioning/commitVersions';
import { pushObjects } from '../../../src/node/versioning/transferObjects';
import { makeTempRepo, type TempRepo } from './tempRepo';
import { buildCliBundle } from '../helpers/cliBundle';

const KILLS_PER_OPERATION = 3;
const SIZE = 4 * 1024 * 1024;
const seed = Number(process.env.STRATA_FAULT_SEED ?? Date.now() % 1e9);
let cliJs: string;
let buildDir: string;

beforeAll(async () => {
  ({ dir: buildDir, cli: cliJs } = await buildCliBundle('strata-cli-'));
}, 60_000);
afterAll(() => rmSync(buildDir, { recursive: true, force: true }));

function mulberry32(a: number): () => number {
  return () => {
    a |= 0; a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = mulberry32(seed);

const V1 = randomBytes(SIZE);
const V2 = Buffer.concat([V1.subarray(0, SIZE / 2), randomBytes(SIZE / 2 + 1000)]);
const md5 = (b: Uint8Array) => createHash('md5').update(b).digest('hex');
const H1 = md5(V1);
const H2 = md5(V2);

/** Run the CLI; kill it with SIGKILL after `killAfterMs` (if given). Resolves when the process has exited. */
function runCli(repo: TempRepo, args: string[], killAfterMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null; ms: number; err: string }> {
  return new Promise((resolve, reject) => {
    const t0 = Date.now();
    const child = spawn(process.execPath, [cliJs, ...args], { cwd: repo.dir, env: process.env, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', d => { err += String(d); });
    const timer = killAfterMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    child.on('error', reject);
    child.on('exit', (code, signal) => { clearTimeout(timer); resolve({ code, signal, ms: Date.now() - t0, err }); });
  });
}

function fileMd5(repo: TempRepo, rel: string): string | undefined {
  const p = join(repo.dir, rel);
  return existsSync(p) ? md5(readFileSync(p)) : undefined;
}

/** Every object in the cache holds exactly the bytes its name says: nothing partial, nothing wrong. */
function assertCacheSound(repo: TempRepo, where: string): string[] {
  const base = join(repo.dir, '.dvc/cache/files/md5');
  const names: string[] = [];
  if (!existsSync(base)) { return names; }
  for (const d of readdirSync(base).filter(x => /^[0-9a-f]{2}$/.test(x))) {
    for (const f of readdirSync(join(base, d))) {
      expect(f, `${where}: stray file in cache folder ${d}`).toMatch(/^[0-9a-f]{30}(\.dir)?$/);
      expect(md5(readFileSync(join(base, d, f))), `${where}: object ${d}${f}`).toBe((d + f).replace(/\.dir$/, ''));
      names.push(d + f);
    }
  }
  return names;
}

function pointerHash(repo: TempRepo, rel: string, where: string): string | undefined {
  const p = join(repo.dir, `${rel}.dvc`);
  if (!existsSync(p)) { return undefined; }
  const text = readFileSync(p, 'utf8');
  return parsePointer(text, where).outs[0].md5; // throws (fails the test) on a torn pointer
}

async function setupRepo(remote: string, state: 'untracked' | 'committed-v1' | 'committed-v1-v2'): Promise<{ repo: TempRepo; c1?: string }> {
  // set up in-process (faster than spawning); only the operation under test runs in a process that gets killed
  const repo = makeTempRepo();
  await initRepository({ cwd: repo.dir });
  repo.write('.dvc/config', `[core]\n    remote = r\n['remote "r"']\n    url = ${remote}\n`);
  repo.write('data/big.bin', V1);
  if (state === 'untracked') { return { repo }; }
  await trackPaths({ cwd: repo.dir, paths: ['data/big.bin'] });
  const c1 = (await commitVersions({ cwd: repo.dir, message: 'v1' })).commit;
  if (state === 'committed-v1-v2') {
    repo.write('data/big.bin', V2);
    await commitVersions({ cwd: repo.dir, message: 'v2' });
  }
  return { repo, c1 };
}

interface Scenario {
  name: string;
  state: 'untracked' | 'committed-v1' | 'committed-v1-v2';
  prepare?: (repo: TempRepo) => void;
  args: (c1: string | undefined) => string[];
  /** Workspace file versions allowed after a kill. */
  allowed: (string | undefined)[];
  /** Pointer hashes allowed after a kill. */
  pointers: (string | undefined)[];
}

describe(`killing the CLI at random points leaves old or new data, never damage (seed ${seed})`, () => {
  let remote: string;
  beforeAll(async () => {
    // one remote holding both versions, for the pull scenario
    remote = mkdtempSync(join(tmpdir(), 'strata-fault-remote-'));
    const { repo } = await setupRepo(remote, 'committed-v1-v2');
    expect((await pushObjects({ cwd: repo.dir })).failed).toEqual([]);
    repo.cleanup();
  }, 120_000);
  afterAll(() => rmSync(remote, { recursive: true, force: true }));

  const scenarios: Scenario[] = [
    { name: 'add', state: 'untracked', args: () => ['add', 'data/big.bin'], allowed: [H1], pointers: [undefined, H1] },
    { name: 'commit', state: 'committed-v1', prepare: r => r.write('data/big.bin', V2), args: () => ['commit', '-m', 'v2'], allowed: [H2], pointers: [H1, H2] },
    { name: 'checkout', state: 'committed-v1-v2', args: c1 => ['checkout', 'data/big.bin', '--rev', c1 as string], allowed: [H1, H2], pointers: [H1, H2] },
    {
      name: 'pull', state: 'committed-v1-v2',
      prepare: r => { rmSync(join(r.dir, '.dvc/cache'), { recursive: true, force: true }); rmSync(join(r.dir, 'data/big.bin')); },
      args: () => ['pull'], allowed: [undefined, H2], pointers: [H2],
    },
  ];

  for (const s of scenarios) {
    it(`${s.name}: ${KILLS_PER_OPERATION} kills, then a clean run succeeds`, async () => {
      // how long the operation takes uninterrupted sets the range of kill points
      const probe = await setupRepo(remote, s.state);
      s.prepare?.(probe.repo);
      const full = await runCli(probe.repo, s.args(probe.c1));
      expect(full.code, full.err).toBe(0);
      probe.repo.cleanup();
      for (let k = 0; k < KILLS_PER_OPERATION; k++) {
        const { repo, c1 } = await setupRepo(remote, s.state);
        try {
          s.prepare?.(repo);
          const at = Math.floor(random() * full.ms * 1.1);
          const where = `${s.name} killed at ${at} ms of ~${full.ms} (seed ${seed})`;
          const r = await runCli(repo, s.args(c1), at);
          expect(s.allowed, `${where}: workspace file`).toContain(fileMd5(repo, 'data/big.bin'));
          expect(s.pointers, `${where}: pointer`).toContain(pointerHash(repo, 'data/big.bin', where));
          const objects = assertCacheSound(repo, where);
          if (s.state !== 'untracked' && s.name !== 'pull') { expect(objects.length, `${where}: versions already stored`).toBeGreaterThan(0); }
          // the interrupted operation can simply be run again
          const again = await runCli(repo, s.args(c1));
          expect([0, 1], `${where}: rerun (${r.signal ?? r.code}) → ${again.err}`).toContain(again.code);
          assertCacheSound(repo, `${where}, after rerun`);
          const final = fileMd5(repo, 'data/big.bin');
          expect(final, `${where}: after rerun`).toBe(s.name === 'checkout' ? H1 : s.name === 'add' ? H1 : H2);
          expect(readdirSync(join(repo.dir, 'data')).filter(n => n.includes('strata-tmp')), `${where}: temp files left`).toEqual([]);
        } finally {
          repo.cleanup();
        }
      }
    }, 240_000);
  }
});

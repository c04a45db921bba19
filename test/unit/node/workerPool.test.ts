// The worker pool on real threads: lazy start, limits, queue, progress, cancel, kill-and-respawn, errors, idle shutdown.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { isDatasetError } from '../../../src/core/formats/errors';
import { isJobError } from '../../../src/node/jobs/jobErrors';
import type { JobProgress, StrataJobs } from '../../../src/node/jobs/jobTypes';
import { WorkerPool, type WorkerPoolOptions } from '../../../src/node/workerPool';
import { buildWorker, HEADLESS_PROGRAM_ENTRY, PRODUCTION_WORKER_ENTRY, TEST_WORKER_ENTRY, until, type BuiltWorker } from './support/buildWorker';
import { HOLD, type TestJobs } from './support/testJobs';

type Jobs = StrataJobs & TestJobs;
const execFileP = promisify(execFile);

let testWorker: BuiltWorker;
let dir: string;
const pools: WorkerPool<Jobs>[] = [];

beforeAll(async () => {
  testWorker = await buildWorker(TEST_WORKER_ENTRY);
  dir = await mkdtemp(join(tmpdir(), 'strata-pool-'));
});

afterAll(async () => {
  await testWorker?.dispose();
  if (dir) { await rm(dir, { recursive: true, force: true }); }
});

afterEach(async () => {
  await Promise.all(pools.splice(0).map(p => p.dispose()));
});

function makePool(options: Partial<WorkerPoolOptions> = {}): WorkerPool<Jobs> {
  const pool = new WorkerPool<Jobs>({ workerPath: testWorker.path, ...options });
  pools.push(pool);
  return pool;
}

/** A file of `size` bytes with a newline every 100 bytes; returns its path and newline count. */
async function textFile(name: string, size: number): Promise<{ path: string; newlines: number }> {
  const bytes = Buffer.alloc(size, 0x61);
  let newlines = 0;
  for (let i = 99; i < size; i += 100) { bytes[i] = 0x0a; newlines++; }
  const path = join(dir, name);
  await writeFile(path, bytes);
  return { path, newlines };
}

function holdGate(): { shared: SharedArrayBuffer; view: Int32Array; open(): void } {
  const shared = new SharedArrayBuffer(HOLD.length * 4);
  const view = new Int32Array(shared);
  return { shared, view, open: () => { Atomics.store(view, HOLD.gate, 1); Atomics.notify(view, HOLD.gate); } };
}

async function rejection(p: Promise<unknown>): Promise<unknown> {
  try { await p; } catch (e) { return e; }
  throw new Error('expected the job to fail, but it succeeded');
}

describe('WorkerPool', () => {
  it('starts no thread until the first job, then counts bytes and newlines with progress', async () => {
    const pool = makePool();
    expect(pool.stats()).toMatchObject({ threads: 0, started: 0 });
    const file = await textFile('small.txt', 10_050);
    const progress: JobProgress[] = [];
    const out = await pool.run('countBytes', { path: file.path, chunkBytes: 1000 }, { onProgress: p => progress.push(p) });
    expect(out).toEqual({ bytes: 10_050, newlines: file.newlines });
    expect(progress.length).toBe(11);
    expect(progress.map(p => p.done)).toEqual([...Array.from({ length: 10 }, (_, i) => (i + 1) * 1000), 10_050]);
    expect(progress.every(p => p.total === 10_050 && p.unit === 'bytes')).toBe(true);
    expect(pool.stats()).toMatchObject({ threads: 1, started: 1, busy: 0, queued: 0 });
  });

  it('runs the production worker bundle too (countBytes only, no test jobs)', async () => {
    const production = await buildWorker(PRODUCTION_WORKER_ENTRY);
    const pool = new WorkerPool<Jobs>({ workerPath: production.path });
    try {
      const file = await textFile('prod.txt', 2_500);
      expect(await pool.run('countBytes', { path: file.path })).toEqual({ bytes: 2_500, newlines: file.newlines });
      const err = await rejection(pool.run('spin', {}));
      expect(isJobError(err) && err.code).toBe('unknown-job');
    } finally {
      await pool.dispose();
      await production.dispose();
    }
  });

  it('cancels a running countBytes mid-way: the worker stops itself quickly and the thread is reused', async () => {
    const pool = makePool({ cancelGraceMs: 10_000 });
    const file = await textFile('big.txt', 16 << 20);
    const controller = new AbortController();
    const progress: JobProgress[] = [];
    let abortedAt = 0;
    const job = pool.run('countBytes', { path: file.path, chunkBytes: 4096 }, {
      signal: controller.signal,
      onProgress: p => { progress.push(p); abortedAt = Date.now(); controller.abort(); },
    });
    const err = await rejection(job);
    const elapsed = Date.now() - abortedAt;
    expect(isDatasetError(err) && err.code).toBe('cancelled');
    expect(progress.length).toBe(1);
    expect(progress[0].done).toBeLessThan(file.newlines * 100);
    // the handler honoured the cancel: nothing was killed, long before the 10 s grace period
    expect(pool.stats()).toMatchObject({ killed: 0, crashed: 0, threads: 1 });
    expect(elapsed).toBeLessThan(5000);
    const small = await textFile('after-cancel.txt', 300);
    expect(await pool.run('countBytes', { path: small.path })).toEqual({ bytes: 300, newlines: 3 });
    expect(pool.stats().started).toBe(1);
  });

  it('terminates a job that ignores cancel after the grace period, then serves the next job on a new thread', async () => {
    const pool = makePool({ cancelGraceMs: 100 });
    const controller = new AbortController();
    let abortedAt = 0;
    const job = pool.run('spin', {}, {
      signal: controller.signal,
      onProgress: () => { abortedAt = Date.now(); controller.abort(); },
    });
    const err = await rejection(job);
    expect(isDatasetError(err) && err.code).toBe('cancelled');
    expect(Date.now() - abortedAt).toBeGreaterThanOrEqual(90);
    expect(pool.stats().killed).toBe(1);
    const file = await textFile('next.txt', 1234);
    expect(await pool.run('countBytes', { path: file.path })).toEqual({ bytes: 1234, newlines: file.newlines });
    expect(pool.stats()).toMatchObject({ started: 2, threads: 1, crashed: 0 });
  });

  it('carries a DatasetError back with its code, and a plain error as a JobError naming it', async () => {
    const pool = makePool();
    const dataset = await rejection(pool.run('fail', { kind: 'dataset' }));
    expect(isDatasetError(dataset)).toBe(true);
    expect(dataset).toMatchObject({ code: 'corrupt', message: 'row group 3 is truncated' });
    expect((dataset as Error).stack).toContain('in worker');

    const plain = await rejection(pool.run('fail', { kind: 'plain' }));
    expect(isDatasetError(plain)).toBe(false);
    expect(isJobError(plain) && plain.code).toBe('failed');
    expect(plain).toMatchObject({ remoteName: 'TypeError', message: 'fail failed: TypeError: cannot read properties of undefined' });

    const bare = await rejection(pool.run('fail', { kind: 'string' }));
    expect(bare).toMatchObject({ code: 'failed', message: 'fail failed: Error: a bare string' });

    const missing = await rejection(pool.run('countBytes', { path: join(dir, 'does-not-exist.csv') }));
    expect(isDatasetError(missing) && missing.code).toBe('io');
    expect((missing as Error).message).toMatch(/does-not-exist\.csv: no such file$/);
    // failures do not cost the thread
    expect(pool.stats()).toMatchObject({ started: 1, crashed: 0 });
  });

  it('fails a job whose result cannot cross threads, with a clear error', async () => {
    const pool = makePool();
    const err = await rejection(pool.run('badOutput', {}));
    expect(isJobError(err) && err.code).toBe('failed');
    expect((err as Error).message).toMatch(/^badOutput returned a result that cannot be sent/);
    const input = await rejection(pool.run('sumBytes', { data: (() => 1) as unknown as ArrayBuffer }));
    expect((input as Error).message).toMatch(/^sumBytes: its input cannot be sent to a worker/);
  });

  it('a crashing worker rejects only its own job; the other thread and the next job carry on', async () => {
    const pool = makePool({ maxThreads: 2 });
    const gate = holdGate();
    const held = pool.run('hold', { shared: gate.shared });
    await until(() => Atomics.load(gate.view, HOLD.running) === 1, 'the held job to start');

    const exited = await rejection(pool.run('crash', { how: 'exit' }));
    expect(isJobError(exited) && exited.code).toBe('crashed');
    expect((exited as Error).message).toBe('the worker thread running crash stopped unexpectedly (exit code 7)');

    const thrown = await rejection(pool.run('crash', { how: 'throw' }));
    expect(isJobError(thrown) && thrown.code).toBe('crashed');
    expect((thrown as Error).message).toContain('RangeError: escaped the handler');

    gate.open();
    await expect(held).resolves.toHaveProperty('threadId');
    const file = await textFile('after-crash.txt', 500);
    expect(await pool.run('countBytes', { path: file.path })).toEqual({ bytes: 500, newlines: 5 });
    expect(pool.stats()).toMatchObject({ crashed: 2, killed: 0 });
  });

  it('never runs more jobs at once than maxThreads, queues the rest, and runs them all', async () => {
    const pool = makePool({ maxThreads: 2 });
    const gate = holdGate();
    const jobs = Array.from({ length: 5 }, () => pool.run('hold', { shared: gate.shared }));
    await until(() => Atomics.load(gate.view, HOLD.running) === 2, 'two jobs to be running');
    expect(pool.stats()).toMatchObject({ threads: 2, busy: 2, queued: 3 });
    expect(pool.jobs().map(j => j.state)).toEqual(['running', 'running', 'queued', 'queued', 'queued']);
    gate.open();
    const results = await Promise.all(jobs);
    expect(Atomics.load(gate.view, HOLD.started)).toBe(5);
    expect(Atomics.load(gate.view, HOLD.maxRunning)).toBe(2);
    expect(new Set(results.map(r => r.threadId)).size).toBe(2);
    expect(pool.stats()).toMatchObject({ started: 2, busy: 0, queued: 0 });
  });

  it('drops a queued job on cancel without touching the running ones', async () => {
    const pool = makePool({ maxThreads: 1 });
    const gate = holdGate();
    const running = pool.run('hold', { shared: gate.shared });
    const controller = new AbortController();
    const queued = pool.run('hold', { shared: gate.shared }, { signal: controller.signal });
    expect(pool.stats().queued).toBe(1);
    controller.abort();
    const err = await rejection(queued);
    expect(isDatasetError(err) && err.code).toBe('cancelled');
    expect(pool.stats()).toMatchObject({ queued: 0, busy: 1 });
    gate.open();
    await running;
    expect(Atomics.load(gate.view, HOLD.started)).toBe(1);
  });

  it('rejects at once when the signal is already aborted', async () => {
    const pool = makePool();
    const err = await rejection(pool.run('countBytes', { path: 'x' }, { signal: AbortSignal.abort() }));
    expect(isDatasetError(err) && err.code).toBe('cancelled');
    expect(pool.stats().started).toBe(0);
  });

  it('stops idle threads after the idle delay and starts new ones on demand', async () => {
    const pool = makePool({ maxThreads: 2, idleShutdownMs: 30 });
    const gate = holdGate();
    gate.open();
    await Promise.all([pool.run('hold', { shared: gate.shared }), pool.run('hold', { shared: gate.shared })]);
    expect(pool.stats().started).toBe(2);
    // `threads` only drops on each thread's 'exit' event, so this proves the threads are gone
    await until(() => pool.stats().threads === 0, 'idle threads to exit');
    const file = await textFile('again.txt', 100);
    expect(await pool.run('countBytes', { path: file.path })).toEqual({ bytes: 100, newlines: 1 });
    expect(pool.stats()).toMatchObject({ started: 3, threads: 1 });
  });

  it('moves transferred buffers both ways instead of copying them', async () => {
    const pool = makePool();
    const { data } = await pool.run('makeBytes', { n: 1000 });
    expect(data).toBeInstanceOf(Uint8Array);
    expect(data.length).toBe(1000);
    expect(data[250]).toBe(250 % 251);
    expect(data[999]).toBe(999 % 251);

    const input = new Uint8Array([1, 2, 3, 250]).buffer;
    const out = await pool.run('sumBytes', { data: input }, { transfer: [input] });
    expect(out).toEqual({ sum: 256, byteLength: 4 });
    expect(input.byteLength).toBe(0); // detached: it moved to the worker
  });

  it('passes workerData to each thread', async () => {
    const pool = makePool({ workerData: { mode: 'test' } });
    const out = await pool.run('whoAmI', {});
    expect(out.workerData).toEqual({ mode: 'test' });
    expect(out.threadId).toBeGreaterThan(0);
  });

  it('dispose rejects pending jobs, stops every thread and refuses new work', async () => {
    const pool = makePool({ maxThreads: 1 });
    const gate = holdGate();
    const running = pool.run('hold', { shared: gate.shared });
    const queued = pool.run('hold', { shared: gate.shared });
    await until(() => Atomics.load(gate.view, HOLD.running) === 1, 'the first job to start');
    const outcomes = [running, queued].map(rejection);
    await pool.dispose();
    for (const err of await Promise.all(outcomes)) {
      expect(isJobError(err) && err.code).toBe('disposed');
    }
    expect(pool.stats()).toMatchObject({ threads: 0, busy: 0, queued: 0 });
    const late = await rejection(pool.run('hold', { shared: gate.shared }));
    expect(isJobError(late) && late.code).toBe('disposed');
  });

  it('a missing worker script fails the job with a clear error instead of hanging', async () => {
    const pool = makePool({ workerPath: join(dir, 'no-such-worker.js') });
    const err = await rejection(pool.run('countBytes', { path: 'x' }));
    expect(isJobError(err) && err.code).toBe('crashed');
    expect((err as Error).message).toContain('no-such-worker.js');
  });

  it('accepts a worker path relative to the working folder', async () => {
    const pool = makePool({ workerPath: relative(process.cwd(), testWorker.path) });
    expect((await pool.run('whoAmI', {})).threadId).toBeGreaterThan(0);
  });

  it('lets a command-line process exit once its jobs are done, without dispose and before the idle delay', async () => {
    const program = await buildWorker(HEADLESS_PROGRAM_ENTRY);
    try {
      const file = await textFile('headless.txt', 4321);
      const started = Date.now();
      const { stdout } = await execFileP(process.execPath, [program.path, testWorker.path, file.path], { timeout: 10_000 });
      expect(JSON.parse(stdout)).toEqual({ bytes: 4321, newlines: file.newlines });
      expect(Date.now() - started).toBeLessThan(10_000); // the idle delay is 60 s: an idle thread did not hold the process
    } finally {
      await program.dispose();
    }
  });

  it('rejects a bad size limit', () => {
    expect(() => new WorkerPool({ workerPath: 'x', maxThreads: 0 })).toThrow(RangeError);
  });
});

// Bundles a worker entry (or a small program) with esbuild into a temp folder, as scripts/build.mjs does for dist/worker.js.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';

export interface BuiltWorker {
  path: string;
  dispose(): Promise<void>;
}

const ROOT = resolve(__dirname, '../../../..');

export const TEST_WORKER_ENTRY = join(ROOT, 'test/unit/node/support/testWorkerMain.ts');
export const PRODUCTION_WORKER_ENTRY = join(ROOT, 'src/node/worker/workerMain.ts');
export const HEADLESS_PROGRAM_ENTRY = join(ROOT, 'test/unit/node/support/headlessRun.ts');

export async function buildWorker(entry: string): Promise<BuiltWorker> {
  const dir = await mkdtemp(join(tmpdir(), 'strata-worker-'));
  const path = join(dir, 'worker.js');
  await build({
    entryPoints: [entry],
    outfile: path,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    logLevel: 'error',
    define: { STRATA_VERSION: JSON.stringify('test') },
  });
  return { path, dispose: () => rm(dir, { recursive: true, force: true }) };
}

/** Polls a condition (no fixed sleeps): resolves once it holds, fails after `timeoutMs`. */
export async function until(predicate: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) { throw new Error(`timed out waiting for ${what}`); }
    await new Promise(r => setTimeout(r, 5));
  }
}

// Jobs that exist only in the test worker: ones that hang, crash, throw or hold a gate, to exercise the pool's edges.
import { threadId, workerData } from 'node:worker_threads';
import { DatasetError, cancelledError } from '../../../../src/core/formats/errors';
import { transferResult, type JobHandlers } from '../../../../src/node/jobs/jobTypes';

/** Slots of the shared Int32Array a `hold` job uses. */
export const HOLD = { running: 0, maxRunning: 1, gate: 2, started: 3, length: 4 } as const;

export interface TestJobs {
  /** Reports one progress, then busy-loops forever without ever looking at its signal. */
  spin: { input: Record<string, never>; output: never };
  /** Counts itself as running in shared memory and waits until the test opens the gate (or cancels). */
  hold: { input: { shared: SharedArrayBuffer }; output: { threadId: number } };
  fail: { input: { kind: 'dataset' | 'plain' | 'string' }; output: never };
  crash: { input: { how: 'exit' | 'throw' }; output: never };
  makeBytes: { input: { n: number }; output: { data: Uint8Array } };
  sumBytes: { input: { data: ArrayBuffer }; output: { sum: number; byteLength: number } };
  badOutput: { input: Record<string, never>; output: unknown };
  whoAmI: { input: Record<string, never>; output: { threadId: number; workerData: unknown } };
}

// Atomics.waitAsync is in Node 16+, but only in TypeScript's ES2024 lib
type WaitAsync = (a: Int32Array, index: number, value: number) => { async: false; value: string } | { async: true; value: Promise<string> };
const waitAsync = (Atomics as unknown as { waitAsync: WaitAsync }).waitAsync;

export const testJobHandlers: JobHandlers<TestJobs> = {
  async spin(_input, ctx) {
    ctx.progress({ done: 0, unit: 'items' });
    await Promise.resolve(); // let the progress message go out before the loop holds the thread
    for (;;) { /* ignores ctx.signal on purpose */ }
  },

  async hold({ shared }, ctx) {
    const a = new Int32Array(shared);
    const now = Atomics.add(a, HOLD.running, 1) + 1;
    for (let max = Atomics.load(a, HOLD.maxRunning); now > max; max = Atomics.load(a, HOLD.maxRunning)) {
      if (Atomics.compareExchange(a, HOLD.maxRunning, max, now) === max) { break; }
    }
    Atomics.add(a, HOLD.started, 1);
    try {
      ctx.progress({ done: 0, total: 1, unit: 'items' });
      const opened = waitAsync(a, HOLD.gate, 0);
      if (opened.async) {
        await new Promise<void>((resolve, reject) => {
          const onAbort = () => reject(cancelledError());
          ctx.signal.addEventListener('abort', onAbort, { once: true });
          void opened.value.then(() => { ctx.signal.removeEventListener('abort', onAbort); resolve(); });
        });
      }
      return { threadId };
    } finally {
      Atomics.sub(a, HOLD.running, 1);
    }
  },

  async fail({ kind }) {
    if (kind === 'dataset') { throw new DatasetError('corrupt', 'row group 3 is truncated'); }
    if (kind === 'plain') { throw new TypeError('cannot read properties of undefined'); }
    throw 'a bare string';
  },

  async crash({ how }) {
    if (how === 'exit') { process.exit(7); }
    setTimeout(() => { throw new RangeError('escaped the handler'); });
    return new Promise<never>(() => { /* never settles: the thread dies first */ });
  },

  async makeBytes({ n }) {
    const data = new Uint8Array(n);
    for (let i = 0; i < n; i++) { data[i] = i % 251; }
    return transferResult({ data }, [data.buffer]);
  },

  async sumBytes({ data }) {
    let sum = 0;
    for (const b of new Uint8Array(data)) { sum += b; }
    return { sum, byteLength: data.byteLength };
  },

  async badOutput() {
    return { callback: () => 1 };
  },

  async whoAmI() {
    return { threadId, workerData: workerData as unknown };
  },
};

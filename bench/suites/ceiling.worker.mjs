// Worker thread for the CSV suite's machine ceiling: sums its own 64 MB array, a memory-bound loop with no
// allocation, parsing or messages. One thread summing the whole array against two summing half each shows what a
// second core gives code that streams memory on this machine, in the same run as the parse.
import { parentPort } from 'node:worker_threads';

const values = new Int32Array(16 * 1024 * 1024).fill(1);

parentPort.on('message', ({ passes }) => {
  const t0 = performance.now();
  let sum = 0;
  for (let p = 0; p < passes; p++) {
    for (let i = 0; i < values.length; i++) { sum = (sum + values[i]) | 0; }
  }
  parentPort.postMessage({ sum, ms: performance.now() - t0 });
});
parentPort.postMessage({ ready: true });

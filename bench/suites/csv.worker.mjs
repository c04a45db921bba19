// Worker thread for the CSV suite: opens the file once, then scans the byte ranges it is sent.
import { parentPort, workerData } from 'node:worker_threads';

const { bundlePath, file } = workerData;
const { openCsv, openFileBuffer } = await import(bundlePath);
const buffer = await openFileBuffer(file);
const ds = await openCsv(buffer, { name: file });

parentPort.on('message', async msg => {
  if (msg.cmd === 'scan') {
    const t0 = performance.now();
    let rows = 0;
    let bytes = 0;
    // as the profiler scans: each batch is built in the buffers of one already done with; a part scanned beside
    // others (`parallel`) reads on its own thread, as the profiler's parts do
    await ds.scanRange({ from: msg.from, to: msg.to, firstRow: msg.firstRow }, undefined, batch => {
      rows += batch.rowCount;
      // Touch the columns' bytes so nothing is optimised away.
      for (const c of batch.columns) { bytes += c.bytes.length; }
    }, { reuseBatches: true, parallel: msg.parallel === true });
    parentPort.postMessage({ rows, bytes, ms: performance.now() - t0, peakRssMB: process.resourceUsage().maxRSS / 1024 });
  } else if (msg.cmd === 'close') {
    await buffer.close();
    parentPort.close();
  }
});
parentPort.postMessage({ ready: true, dataStart: ds.dataStart, byteLength: buffer.byteLength });

// Worker thread for the profile suite: opens the file once, then profiles the parts it is sent (byte ranges of a
// CSV, row ranges of a Parquet or Arrow file, a JSON Lines file's part of a byte split) and posts back the mergeable partial profile (structured clone, as the
// extension's pool would).
import { parentPort, workerData } from 'node:worker_threads';

const { bundlePath, file } = workerData;
const { openCsv, openParquet, openArrow, openJsonl, openFileBuffer, profilePartial, profileRowRange } = await import(bundlePath);
const buffer = await openFileBuffer(file);
const open = { parquet: openParquet, arrow: openArrow, jsonl: openJsonl }[file.slice(file.lastIndexOf('.') + 1)];
const ds = open ? await open(buffer) : await openCsv(buffer, { name: file });

parentPort.on('message', async msg => {
  if (msg.cmd === 'profile') {
    const t0 = performance.now();
    const range = { from: msg.from, to: msg.to, firstRow: msg.firstRow };
    // time spent in the profiler's batch handling, to tell profiling from reading
    let profileMs = 0;
    const partial = await profilePartial(ds.fields, {}, (columns, onBatch) => ds.scanRange(range, columns, batch => {
      const t = performance.now();
      onBatch(batch);
      profileMs += performance.now() - t;
    }, { reuseBatches: true }));
    parentPort.postMessage({ partial, ms: performance.now() - t0, profileMs, peakRssMB: process.resourceUsage().maxRSS / 1024 });
  } else if (msg.cmd === 'profileRows') {
    const t0 = performance.now();
    const partial = await profileRowRange(ds, { start: msg.start, end: msg.end });
    parentPort.postMessage({ partial, ms: performance.now() - t0, peakRssMB: process.resourceUsage().maxRSS / 1024 });
  } else if (msg.cmd === 'profileSplit') {
    // a JSON Lines file as the extension's threads take it: cut by bytes at row-index checkpoints, each thread
    // counting rows only as far as the cut (opened afresh each time, so each run counts them, as a first profile does)
    const t0 = performance.now();
    const d = await openJsonl(buffer);
    const r = (await d.splitRows(msg.parts))[msg.part];
    const partial = r ? await profilePartial(d.fields, {}, (columns, onBatch) => d.scanRows(r.start, r.end, columns, onBatch, { reuseBatches: true })) : null;
    parentPort.postMessage({ partial, ms: performance.now() - t0, peakRssMB: process.resourceUsage().maxRSS / 1024 });
  } else if (msg.cmd === 'close') {
    await buffer.close();
    parentPort.close();
  }
});
parentPort.postMessage({ ready: true });

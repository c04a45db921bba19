// Runs inside the real extension host (loaded as the extensionTestsPath): carries out the editor bench's requests,
// which it fetches over HTTP from the bench process (STRATA_BENCH_DRIVER), and times them on the host's own clock.
//
// It shares the extension host's thread with Strata, so monitorEventLoopDelay here sees every host task that
// blocks that thread: Strata's, and the editor's own.
/* eslint-disable @typescript-eslint/no-require-imports -- the extension host loads this file with require(), and vscode exists only through it */
const vscode = require('vscode');
const { monitorEventLoopDelay } = require('node:perf_hooks');

const EXTENSION_ID = 'strata-data.strata';

/** Milliseconds from a histogram in nanoseconds; an empty histogram reports absurd extremes. */
function loopFigures(h) {
  if (h.count === 0) { return { maxMs: 0, p99Ms: 0, meanMs: 0, samples: 0 }; }
  return { maxMs: h.max / 1e6, p99Ms: h.percentile(99) / 1e6, meanMs: h.mean / 1e6, samples: h.count };
}

exports.run = async function run() {
  const base = process.env.STRATA_BENCH_DRIVER;
  if (!base) { throw new Error('STRATA_BENCH_DRIVER is not set'); }
  const started = performance.now();
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  const api = await ext.activate();
  await api.datasetTree.ready();
  const firstListingMs = performance.now() - started;
  let loop;
  let profiler;
  const post = (session, method, params) => new Promise((resolve, reject) => session.post(method, params, (e, r) => (e ? reject(e) : resolve(r))));

  const handlers = {
    hello: async () => ({ pid: process.pid, firstListingMs, files: api.datasetTree.datasetFiles.length }),
    // resolution 2 ms: the histogram's max is how much later than due a 2 ms timer ran, i.e. the longest block
    loopStart: async () => { loop = monitorEventLoopDelay({ resolution: 2 }); loop.enable(); return {}; },
    loopStop: async () => { loop.disable(); const r = loopFigures(loop); loop = undefined; return r; },
    explorerRescan: async () => {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      await api.datasetTree.rescanNow();
      await api.datasetTree.ready();
      const ms = performance.now() - t0;
      const c = process.cpuUsage(c0);
      return { ms, cpuMs: (c.user + c.system) / 1000, files: api.datasetTree.datasetFiles.length };
    },
    // a CPU profile of the host thread, to find what a slow job spends its time on (not used by the suite's jobs)
    profileStart: async () => {
      profiler = new (require('node:inspector').Session)();
      profiler.connect();
      await post(profiler, 'Profiler.enable');
      await post(profiler, 'Profiler.start');
      return {};
    },
    profileStop: async ({ file }) => {
      const { profile } = await post(profiler, 'Profiler.stop');
      profiler.disconnect();
      require('node:fs').writeFileSync(file, JSON.stringify(profile));
      return { file };
    },
    command: async ({ id, args = [] }) => { await vscode.commands.executeCommand(id, ...args); return {}; },
    // t0 on the wall clock, which the browser's Date.now() shares: the bench subtracts it from the first-rows time
    openPreview: async ({ path }) => {
      const t0 = Date.now();
      await vscode.commands.executeCommand('strata.openPreview', vscode.Uri.file(path));
      return { t0, commandMs: Date.now() - t0 };
    },
  };

  for (;;) {
    const res = await fetch(`${base}/next`);
    const { id, cmd, args } = await res.json();
    if (cmd === 'quit') { return; }
    if (cmd === 'idle') { continue; }
    let body;
    try {
      const fn = handlers[cmd];
      if (!fn) { throw new Error(`unknown request ${cmd}`); }
      body = { id, ok: true, value: await fn(args ?? {}) };
    } catch (e) {
      body = { id, ok: false, error: String(e && e.stack || e) };
    }
    await fetch(`${base}/result`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  }
};

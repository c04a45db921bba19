// Starts the real editor for the editor bench: code-server with Strata in development mode on a folder, headless
// Chromium on its workbench, and editor.host.cjs in the extension host taking requests over a local HTTP channel.
import { createServer } from 'node:http';
import path from 'node:path';
import util from 'node:util';
import { fileURLToPath } from 'node:url';
import * as h from '../../test/e2e/harness.mjs';

const HOST_DRIVER = fileURLToPath(new URL('./editor.host.cjs', import.meta.url));

/**
 * Runs in every frame before its own scripts. In a webview's host frame (pre/index.html, whose document is never
 * rewritten, unlike the inner frame's that is written in place), records on the wall clock the first animation
 * frame in which the inner frame is shown and a visible grid cell in it holds data (not a loading placeholder).
 */
const FIRST_ROWS_PROBE = `(() => {
  if (window.top === window || !location.pathname.endsWith('/webview/browser/pre/index.html')) { return; }
  // milestones on the way, to show where the time goes: host frame started, inner document built, grid rows exist
  const marks = window.__strataMarks = { hostFrame: performance.timeOrigin };
  const look = () => {
    for (const f of document.querySelectorAll('iframe')) {
      let doc;
      try { doc = f.contentDocument; } catch { doc = undefined; }
      if (!doc) { continue; }
      if (!marks.shown && f.id === 'active-frame') { marks.shown = Date.now(); }
      if (!marks.innerBody && doc.body && doc.body.childElementCount > 0) { marks.innerBody = Date.now(); }
      if (!marks.appBuilt && doc.querySelector('#strata-preview > .app')) { marks.appBuilt = Date.now(); }
      if (!marks.gridRows && doc.querySelector('.grow')) { marks.gridRows = Date.now(); }
      // on screen: the workbench shows the frame (until then it is hidden, with the id pending-frame)
      const cell = f.id === 'active-frame' && doc.querySelector('.grow:not([hidden]) .cell:not([hidden]):not(.k-loading)');
      if (cell && cell.textContent !== '') {
        window.__strataFirstRows = marks.firstRows = Date.now();
        // when each of the document's resources was fetched, on the same wall clock
        const perf = f.contentWindow.performance;
        marks.resources = perf.getEntriesByType('resource').map(e => ({
          name: e.name.split('?')[0].split('/').pop(), start: perf.timeOrigin + e.startTime, end: perf.timeOrigin + e.responseEnd,
        }));
        // the host frame's own milestones (VS Code marks them: script start, content received, inner frame written)
        marks.hostMarks = performance.getEntriesByType('mark').filter(m => m.name.startsWith('webview/index.html/'))
          .map(m => ({ name: m.name.slice('webview/index.html/'.length), at: performance.timeOrigin + m.startTime }));
        // and the preview's own (strata/script, strata/app, strata/init, strata/drawn)
        marks.hostMarks.push(...perf.getEntriesByType('mark').filter(m => m.name.startsWith('strata/'))
          .map(m => ({ name: m.name, at: perf.timeOrigin + m.startTime })));
        marks.initArrived = marks.hostMarks.find(m => m.name === 'strata/init')?.at;
        return;
      }
    }
    requestAnimationFrame(look);
  };
  requestAnimationFrame(look);
})();`;

/** A local channel: the host driver long-polls /next for requests and posts /result. */
function startChannel() {
  const queue = [];
  const waiting = [];
  const pending = new Map();
  let nextId = 1;
  const server = createServer((req, res) => {
    if (req.url === '/next') {
      const send = msg => { res.writeHead(200, { 'content-type': 'application/json' }); res.end(JSON.stringify(msg)); };
      if (queue.length) { send(queue.shift()); return; }
      const timer = setTimeout(() => { waiting.splice(waiting.indexOf(waiter), 1); send({ cmd: 'idle' }); }, 20000);
      const waiter = msg => { clearTimeout(timer); send(msg); };
      waiting.push(waiter);
      return;
    }
    let body = '';
    req.on('data', d => { body += d; });
    req.on('end', () => {
      res.writeHead(204).end();
      const msg = JSON.parse(body);
      const p = pending.get(msg.id);
      pending.delete(msg.id);
      if (msg.ok) { p?.resolve(msg.value); } else { p?.reject(new Error(`extension host: ${msg.error}`)); }
    });
  });
  const post = msg => { const w = waiting.shift(); if (w) { w(msg); } else { queue.push(msg); } };
  const call = (cmd, args) => new Promise((resolve, reject) => {
    const id = nextId++;
    pending.set(id, { resolve, reject });
    post({ id, cmd, args });
  });
  const listening = new Promise(resolve => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${server.address().port}`)));
  return { listening, call, quit: () => post({ cmd: 'quit' }), close: () => server.close() };
}

/**
 * Opens `folder` in the real workbench with Strata loaded. Returns `{ page, call, hello, close }`: `call(cmd, args)`
 * runs a request of editor.host.cjs in the extension host; `hello` is its first answer (after the first listing).
 */
export async function startWorkbench(folder, { settings = {} } = {}) {
  if (!h.codeServerInstalled()) { throw new Error('the offline VS Code is missing: run `bash scripts/install-offline-vscode.sh`'); }
  const tmp = h.mkTmp('strata-bench-editor-');
  const channel = startChannel();
  const env = { ...h.isolatedEnv(tmp), STRATA_BENCH_DRIVER: await channel.listening };
  h.writeUserSettings(path.join(tmp, 'user-data'), { 'workbench.colorTheme': 'Default Dark Modern', ...settings });
  const cs = h.startCodeServer({ dir: tmp, env });
  const log = [];
  let ctx;
  const close = async () => {
    channel.quit();
    await Promise.race([ctx?.close(), new Promise(r => setTimeout(r, 5000).unref())]).catch(() => {});
    cs.stop();
    channel.close();
    h.rmTmp(tmp);
  };
  try {
    ctx = await h.launchChromium(tmp, env);
    ctx.setDefaultTimeout(120000);
    await ctx.addInitScript(FIRST_ROWS_PROBE);
    const page = ctx.pages()[0] || await ctx.newPage();
    await page.exposeFunction('codeAutomationLog', (_type, a) => {
      const s = util.format(...a);
      if (!h.noise.test(s)) { log.push(s); }
    });
    await page.exposeFunction('codeAutomationExit', () => {});
    const url = h.workbenchUrl(await cs.url, folder, [['extensionDevelopmentPath', h.root], ['extensionTestsPath', HOST_DRIVER]]);
    await page.goto(url, { waitUntil: 'commit', timeout: 120000 });
    await page.locator('.monaco-workbench').waitFor({ timeout: 120000 });
    const hello = await withTimeout(channel.call('hello'), 180000, () => `the extension host did not answer:\n${log.slice(-20).join('\n')}\n${cs.log().slice(-2000)}`);
    return { page, call: channel.call, hello, log, close };
  } catch (e) {
    await close();
    throw e;
  }
}

function withTimeout(p, ms, why) {
  let timer;
  return Promise.race([p, new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(why())), ms); })]).finally(() => clearTimeout(timer));
}

/** The webview's host frame (iframe.webview), where the first-rows probe runs. */
export const webviewHostFrame = page => page.frameLocator('iframe.webview.ready').last();

/** The preview's own document: iframe.webview (the host frame) > #active-frame (Strata's HTML). */
export const previewFrame = page => page.frameLocator('iframe.webview.ready').last().frameLocator('#active-frame');

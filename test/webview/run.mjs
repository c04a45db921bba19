// Runs the webview tier: builds if needed, serves the bundle, and runs each test in a fresh page of headless Chromium.
// Prints `webview: N passed, N failed` and exits non-zero on any failure. `--grep TEXT` runs matching tests only.
import { ensureBuilt, startServer, launchBrowser, openPreview } from './harness.mjs';
import { tests } from './previewTests.mjs';
import { tests as diffTests } from './diffTests.mjs';

const TEST_TIMEOUT_MS = 90_000;
const grepAt = process.argv.indexOf('--grep');
const grep = grepAt > 0 ? process.argv[grepAt + 1]?.toLowerCase() : undefined;

function withTimeout(promise, ms, name) {
  let timer;
  const limit = new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${name}`)), ms); });
  return Promise.race([promise, limit]).finally(() => clearTimeout(timer));
}

let passed = 0;
let failed = 0;
let server;
let browser;
try {
  await ensureBuilt();
  server = await startServer();
  browser = await launchBrowser(server.origin);
  for (const [name, fn] of [...tests, ...diffTests]) {
    if (grep && !name.toLowerCase().includes(grep)) { continue; }
    const opened = [];
    const open = async query => { const p = await openPreview(browser.context, server.origin, query); opened.push(p); return p; };
    const started = Date.now();
    try {
      await withTimeout(fn({ open }), TEST_TIMEOUT_MS, name);
      // a test also fails on any page error, console error, dialog or CSP violation in its pages
      for (const { page, problems } of opened) {
        const csp = await page.evaluate(() => window.__host?.cspViolations ?? []).catch(() => []);
        const all = [...problems, ...csp.map(v => `CSP violation: ${v}`)];
        if (all.length) { throw new Error(all.join('\n')); }
      }
      passed++;
      console.log(`  ✓ ${name} (${Date.now() - started} ms)`);
    } catch (e) {
      failed++;
      console.log(`  ✗ ${name}\n    ${String(e?.stack ?? e).split('\n').slice(0, 8).join('\n    ')}`);
    } finally {
      for (const { page } of opened) { await page.close().catch(() => {}); }
    }
  }
} catch (e) {
  failed++;
  console.log(`  ✗ webview tier could not run: ${e?.message ?? e}`);
} finally {
  await browser?.close().catch(() => {});
  await server?.close();
}
console.log(`webview: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);

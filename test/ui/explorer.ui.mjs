// UI tier: the real workbench in headless Chromium. Opens the Strata view from the activity bar, reads
// the Dataset Explorer's rows, opens a dataset by clicking it, and saves the README's screenshot.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import * as h from '../e2e/harness.mjs';

const shot = process.env.STRATA_SCREENSHOT || path.join(h.root, 'docs/screenshots/explorer.png');
const failureShot = path.join(h.root, 'test-results/ui-failure.png');
const EXPECTED_ROWS = ['data', 'customers.csv', 'orders.tsv', 'data/raw', 'events.jsonl', 'models', 'metrics.parquet'];

const tests = [];
const test = (name, fn) => tests.push({ name, fn });

test('the Strata view lists the fixture datasets, grouped by folder, and opens one on click', async page => {
  await page.locator('.monaco-workbench').waitFor({ timeout: 120000 });
  // the activity bar entry of the view container; clicking an already selected one would close the side bar
  const entry = page.locator('.part.activitybar .action-item[role="tab"]', { has: page.locator('[aria-label^="Strata"]') })
    .or(page.locator('.part.activitybar .action-item[role="tab"][aria-label^="Strata"]')).first();
  await entry.waitFor();
  if ((await entry.getAttribute('aria-selected')) !== 'true') { await entry.click(); }
  const sidebar = page.locator('.part.sidebar');
  await sidebar.locator('.composite.title', { hasText: /Strata/i }).waitFor();
  const rows = sidebar.locator('.monaco-list-row');
  await rows.filter({ hasText: 'customers.csv' }).waitFor();

  const dataRow = rows.filter({ has: page.locator('.label-name', { hasText: /^data$/ }) }).first();
  if ((await dataRow.getAttribute('aria-expanded')) === 'false') { await dataRow.click(); }
  await rows.filter({ hasText: 'orders.tsv' }).waitFor();

  const names = (await rows.locator('.label-name').allInnerTexts()).map(s => s.trim());
  assert.deepEqual(names, EXPECTED_ROWS);

  // the description carries size, then rows × columns once the worker has summarised the file
  const customers = rows.filter({ has: page.locator('.label-name', { hasText: /^customers\.csv$/ }) });
  await customers.locator('.label-description', { hasText: /\d+ B .*5 × 6/ }).waitFor({ timeout: 60000 });

  await customers.click();
  await page.locator('.tabs-container .tab', { hasText: 'customers.csv' }).waitFor();

  // expanding a dataset lists its columns, in file order
  const header = readFileSync(path.join(workspace, 'data/customers.csv'), 'utf8').split('\n')[0].split(',');
  await customers.locator('.monaco-tl-twistie').click();
  await rows.filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${header.at(-1)}$`) }) }).waitFor();
  const afterExpand = (await rows.locator('.label-name').allInnerTexts()).map(s => s.trim());
  assert.deepEqual(afterExpand.slice(1, 2 + header.length), ['customers.csv', ...header]);
  await rows.filter({ hasText: 'metrics.parquet' }).locator('.label-description', { hasText: '×' }).waitFor({ timeout: 60000 })
    .catch(() => { /* the screenshot is still useful without the Parquet summary */ });
  // the opened CSV is in Strata's CSV language, coloured column by column by its grammar
  await page.locator('.part.statusbar .statusbar-item', { hasText: /^CSV$/ }).waitFor({ timeout: 60000 });
  await page.locator('.view-line span[class*="mtk"]', { hasText: 'lifetime_value' }).waitFor();
  // the line is drawn in one colour first; the grammar's tokens replace it a moment later
  const tokenClasses = () => new Set([...document.querySelectorAll('.view-lines .view-line:first-child span span')]
    .filter(s => s.textContent !== ',').map(s => s.className)).size;
  await page.waitForFunction(`(${tokenClasses})() >= 6`, undefined, { timeout: 15000 }).catch(() => { /* asserted below */ });
  const colours = await page.evaluate(tokenClasses);
  assert.ok(colours >= 6, `each of the 6 header cells has a colour of its own (saw ${colours} token classes)`);
  await page.mouse.move(640, 790); // no hover tooltip in the picture
  mkdirSync(path.dirname(shot), { recursive: true });
  await page.screenshot({ path: shot });
});

const tmp = h.mkTmp('strata-ui-');
const env = h.isolatedEnv(tmp);
const workspace = h.copyFixtureWorkspace(tmp);
let cs;
let ctx;
let passed = 0;
let failed = 0;
const cleanup = async () => {
  await Promise.race([ctx?.close(), new Promise(r => setTimeout(r, 5000).unref())]).catch(() => {});
  cs?.stop();
  h.rmTmp(tmp);
};
const ms = Number(process.env.STRATA_TEST_TIMEOUT_MS || 180000);
setTimeout(async () => {
  console.error(`TIMEOUT: the UI tests did not finish within ${ms} ms`);
  console.log(`ui: ${passed} passed, ${tests.length - passed} failed`);
  await cleanup();
  process.exit(2);
}, ms).unref();
for (const sig of ['SIGINT', 'SIGTERM']) { process.on(sig, async () => { await cleanup(); process.exit(130); }); }

try {
  if (!h.codeServerInstalled()) { throw new Error('the offline VS Code is missing: run `bash scripts/install-offline-vscode.sh`'); }
  cs = h.startCodeServer({ dir: tmp, env });
  ctx = await h.launchChromium(tmp, env);
  ctx.setDefaultTimeout(60000); // generous: other work may share the cores
  const page = ctx.pages()[0] || await ctx.newPage();
  await page.goto(h.workbenchUrl(await cs.url, workspace, [['extensionDevelopmentPath', h.root]]), { waitUntil: 'commit', timeout: 120000 });
  for (const t of tests) {
    const started = Date.now();
    try {
      await t.fn(page);
      passed++;
      console.log(`  ✔ ${t.name} (${Date.now() - started} ms)`);
    } catch (e) {
      failed++;
      console.log(`  ✘ ${t.name}\n    ${String(e?.message ?? e).split('\n').join('\n    ')}`);
      mkdirSync(path.dirname(failureShot), { recursive: true });
      await page.screenshot({ path: failureShot }).catch(() => {});
      console.log(`    screenshot: ${path.relative(h.root, failureShot)}`);
    }
  }
} catch (e) {
  failed = tests.length - passed;
  console.error(e?.stack ?? String(e));
} finally {
  await cleanup();
}
console.log(`ui: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);

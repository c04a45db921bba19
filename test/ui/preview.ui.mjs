// UI tier: the data preview in the real workbench. Opens sample datasets in the Strata Data Preview, reads the
// grid the real host filled, sorts through the worker, opens the profile, and saves the README's screenshots.
import assert from 'node:assert/strict';
import { cpSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import * as h from '../e2e/harness.mjs';

const shots = process.env.STRATA_SCREENSHOT_DIR || path.join(h.root, 'docs/screenshots');
const failureShot = path.join(h.root, 'test-results/ui-preview-failure.png');

const tests = [];
const test = (name, fn) => tests.push({ name, fn });

/** The preview's own document: iframe.webview (the host frame) > #active-frame (Strata's HTML). */
const previewFrame = page => page.frameLocator('iframe.webview.ready').last().frameLocator('#active-frame');

/** The quick input closes with an animation: a key pressed before it has gone goes to the closing widget. */
async function quickInputClosed(page) {
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
}

async function quickOpen(page, fileName) {
  await quickInputClosed(page);
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor();
  await input.fill(fileName);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: fileName }).first().waitFor();
  await page.keyboard.press('Enter');
}

async function runCommand(page, title) {
  await quickInputClosed(page);
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor();
  await input.fill(`>${title}`);
  // click the row whose label is exactly the title: Enter would take whichever row ranks first
  await page.locator('.quick-input-list .monaco-list-row', { has: page.locator('.label-name', { hasText: new RegExp(`^${title}$`) }) }).first().click();
}

/** Texts of the visible cells of the first visible data rows, left to right. */
async function visibleRows(frame, count) {
  return frame.locator('body').evaluate((body, n) => {
    const rows = [...body.querySelectorAll('.grow:not([hidden])')]
      .sort((a, b) => a.getBoundingClientRect().top - b.getBoundingClientRect().top).slice(0, n);
    return rows.map(r => [...r.querySelectorAll('.cell:not([hidden])')]
      .sort((a, b) => a.getBoundingClientRect().left - b.getBoundingClientRect().left).map(c => c.textContent.trim()));
  }, count);
}

async function gridLoaded(frame) {
  await frame.locator('.grow:not([hidden]) .cell:not([hidden])').first().waitFor();
  await frame.locator('body').evaluate(body => new Promise((resolve, reject) => {
    const end = Date.now() + 30000;
    const check = () => {
      if (!body.querySelector('.grow:not([hidden]) .cell.k-loading:not([hidden])')) { resolve(); return; }
      if (Date.now() > end) { reject(new Error('cells still loading')); return; }
      requestAnimationFrame(check);
    };
    check();
  }));
}

test('a Parquet file opens in the preview with rows from the worker', async page => {
  await page.locator('.monaco-workbench').waitFor({ timeout: 120000 });
  await quickOpen(page, 'readings.parquet');
  const frame = previewFrame(page);
  await gridLoaded(frame);
  const rows = await visibleRows(frame, 3);
  // readings.parquet: station, ts, temperature_c, humidity_pct, pressure_hpa, written in time order from 2024-01-01
  assert.match(rows[0].join(' '), /(OSLO|BERGEN|TROMSO)-0\d/);
  assert.match(rows[0].join(' '), /2024-01-01/);
  assert.ok(rows.length === 3, `three rows visible, got ${rows.length}`);
  const status = await frame.locator('body').innerText();
  assert.match(status, /2,000/);
});

test('sorting a column goes through the host and reorders the rows', async page => {
  const frame = previewFrame(page);
  const header = frame.locator('.hcell[data-field="2"] .hname');
  await header.click(); // ascending
  await header.click(); // descending
  await frame.locator('.hcell[data-field="2"][aria-sort="descending"]').waitFor();
  await gridLoaded(frame);
  const rows = await visibleRows(frame, 5);
  const temps = rows.map(r => Number(r[2].replace(/[^\d.-]/g, ''))); // cells in field order: station, ts, temperature_c, ...
  for (let i = 1; i < temps.length; i++) { assert.ok(temps[i - 1] >= temps[i], `descending temperatures: ${temps.join(', ')}`); }
  await page.mouse.move(640, 790);
  mkdirSync(shots, { recursive: true });
  await page.screenshot({ path: path.join(shots, 'workbench-preview-dark.png') });
});

test('a right-click on a cell opens VS Code\'s menu, whose Filter to This Value filters the grid', async page => {
  const frame = previewFrame(page);
  await gridLoaded(frame);
  const station = (await visibleRows(frame, 1))[0][0];
  // the first visible row's station cell (fields in order: station is aria-colindex 2)
  const cell = frame.locator('.grow:not([hidden]) .cell[aria-colindex="2"]:not([hidden])', { hasText: station }).first();
  await cell.click({ button: 'right' });
  const menu = page.locator('.context-view .monaco-menu');
  await menu.waitFor();
  const labels = (await menu.locator('.action-label').allTextContents()).map(t => t.trim()).filter(Boolean);
  for (const want of ['Filter to This Value', 'Filter…', 'Sort Ascending', 'Sort Descending', 'Copy', 'Copy as CSV', 'Copy Column Name']) {
    assert.ok(labels.includes(want), `menu item ${want}: ${labels.join(' | ')}`);
  }
  assert.ok(!labels.includes('Cut') && !labels.includes('Paste'), `no default edit items: ${labels.join(' | ')}`);
  // chosen with the keyboard, as a keyboard user does (the menu has the focus; a click on an item right after the menu
  // opens is not always taken)
  const focused = () => menu.evaluate(m => m.querySelector('.action-item.focused .action-label')?.textContent?.trim());
  for (let i = 0; i < labels.length && (await focused()) !== 'Filter to This Value'; i++) { await page.keyboard.press('ArrowDown'); }
  assert.equal(await focused(), 'Filter to This Value');
  await page.keyboard.press('Enter');
  await menu.waitFor({ state: 'hidden' });
  await frame.locator('.chip .chip-text', { hasText: `station = ${station}` }).waitFor();
  await frame.locator('.status-view', { hasText: /of 2,000 rows match/ }).waitFor();
  await gridLoaded(frame);
  const rows = await visibleRows(frame, 5);
  assert.ok(rows.every(r => r[0] === station), `only ${station}: ${rows.map(r => r[0]).join(', ')}`);
  await frame.locator('.chip-remove').click();
  await frame.locator('.chip').waitFor({ state: 'detached' });
});

test('the profile tab shows the quality summary and column figures', async page => {
  const frame = previewFrame(page);
  await frame.locator('.tab-profile').click();
  await frame.locator('.panel-profile').getByText(/completeness/i).first().waitFor({ timeout: 60000 });
  await frame.locator('.panel-profile').getByText(/temperature_c/).first().waitFor();
  await page.mouse.move(640, 790);
  await page.screenshot({ path: path.join(shots, 'workbench-profile-dark.png') });
});

test('in a light theme the CSV preview opens beside its text', async page => {
  await runCommand(page, 'Preferences: Color Theme');
  await page.locator('.quick-input-widget input').fill('Light Modern');
  await page.locator('.quick-input-list .monaco-list-row', { has: page.locator('.label-name', { hasText: /^Light Modern$/ }) }).first().click();
  await page.locator('.monaco-workbench.vs').waitFor();
  await quickOpen(page, 'orders.csv');
  await page.locator('.tabs-container .tab', { hasText: 'orders.csv' }).first().waitFor();
  await runCommand(page, 'Strata: Open Preview to the Side');
  const frame = previewFrame(page);
  await gridLoaded(frame);
  const rows = await visibleRows(frame, 2);
  assert.deepEqual(rows.map(r => r.slice(0, 2)), [['1001', '34'], ['1002', '53']]);
  await page.mouse.move(640, 790);
  await page.screenshot({ path: path.join(shots, 'workbench-preview-light.png') });
});

test('a semicolon file with a title above its header and comment lines reads as a table, and the status bar says how', async page => {
  await runCommand(page, 'View: Close All Editors');
  await quickOpen(page, 'calibration.csv');
  await page.locator('.tabs-container .tab', { hasText: 'calibration.csv' }).first().waitFor();
  await runCommand(page, 'Strata: Open Preview to the Side');
  const frame = previewFrame(page);
  await gridLoaded(frame);
  // samples/sensors/calibration.csv: sensor;checked_at;reference_c;measured_c;offset_c;technician, 31 rows
  const rows = await visibleRows(frame, 1);
  assert.deepEqual(rows[0].slice(0, 2), ['OSLO-01', '2026-10-01 09:07']);
  const format = frame.locator('.status-format');
  assert.equal((await format.innerText()).trim(), 'CSV (semicolon) · exact');
  assert.match(await format.getAttribute('title'), /^calibration\.csv\nRead as semicolon-separated, with a header row, lines starting with # skipped as comments, 3 lines above the header skipped; sniffed from the file$/);
  assert.match(await frame.locator('.status-rows').innerText(), /^31 rows × 6 columns$/);
});

const tmp = h.mkTmp('strata-ui-preview-');
const env = h.isolatedEnv(tmp);
const workspace = path.join(tmp, 'samples');
cpSync(path.join(h.root, 'samples'), workspace, { recursive: true });
let cs;
let ctx;
let passed = 0;
let failed = 0;
const cleanup = async () => {
  await Promise.race([ctx?.close(), new Promise(r => setTimeout(r, 5000).unref())]).catch(() => {});
  cs?.stop();
  h.rmTmp(tmp);
};
const ms = Number(process.env.STRATA_TEST_TIMEOUT_MS || 240000);
setTimeout(async () => {
  console.error(`TIMEOUT: the preview UI tests did not finish within ${ms} ms`);
  console.log(`ui: ${passed} passed, ${tests.length - passed} failed`);
  await cleanup();
  process.exit(2);
}, ms).unref();
for (const sig of ['SIGINT', 'SIGTERM']) { process.on(sig, async () => { await cleanup(); process.exit(130); }); }

try {
  if (!h.codeServerInstalled()) { throw new Error('the offline VS Code is missing: run `bash scripts/install-offline-vscode.sh`'); }
  // start dark; a later test switches to a light theme
  h.writeUserSettings(path.join(tmp, 'user-data'), { 'workbench.colorTheme': 'Default Dark Modern' });
  cs = h.startCodeServer({ dir: tmp, env });
  ctx = await h.launchChromium(tmp, env);
  ctx.setDefaultTimeout(60000);
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

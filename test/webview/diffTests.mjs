// The diff panel's browser tests (run by run.mjs with the preview's): the built bundle against a fake
// host, checking the summary, the old → new cells of the virtual grid, filters, drift, progress and
// cancel, restored state, and that hostile text stays text.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, statSync, cpSync } from 'node:fs';
import { join } from 'node:path';
import { root } from './harness.mjs';

const bundle = join(root, 'dist/webview/diff.js');

function newest(dir) {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

/** Builds dist/webview/diff.js (as scripts/build.mjs does) when it is missing or older than its sources. */
async function ensureDiffBuilt() {
  const sources = Math.max(newest(join(root, 'webview/diff')), newest(join(root, 'webview/preview')), statSync(join(root, 'src/shared/diffProtocol.ts')).mtimeMs);
  if (existsSync(bundle) && statSync(bundle).mtimeMs >= sources) { return; }
  const esbuild = await import('esbuild');
  await esbuild.build({
    entryPoints: { diff: join(root, 'webview/diff/main.ts') }, outdir: join(root, 'dist/webview'), bundle: true,
    platform: 'browser', format: 'iife', target: 'chrome120', sourcemap: 'linked', loader: { '.ttf': 'file' },
    legalComments: 'none', logLevel: 'warning',
  });
  if (!existsSync(join(root, 'dist/webview/codicons'))) {
    cpSync(join(root, 'node_modules/@vscode/codicons/dist'), join(root, 'dist/webview/codicons'), { recursive: true });
  }
}

/** Opens the diff page in a fresh tab of the tier's browser (reusing `open` for its error collection). */
async function openDiff(open, query = {}) {
  await ensureDiffBuilt();
  const opened = await open({ rows: 10 });
  const origin = new URL(opened.page.url()).origin;
  const qs = new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)]));
  await opened.page.evaluate(() => sessionStorage.clear());
  await opened.page.goto(`${origin}/test/webview/diffPage.html?${qs}`);
  return opened.page;
}

async function loadedDiff(page) {
  await page.waitForSelector('.grow');
}

/** Rows drawn, in screen order: type class and the cells' texts (changed cells as { old, new }). */
function gridRows(page) {
  return page.evaluate(() => {
    const top = e => parseFloat(e.style.top) || 0;
    return [...document.querySelectorAll('.grow')].sort((a, b) => top(a) - top(b)).map(r => ({
      type: [...r.classList].find(c => c.startsWith('row-'))?.slice(4),
      index: Number(r.dataset.index),
      cells: [...r.querySelectorAll('.gcell:not(.lead)')].map(c => c.classList.contains('changed')
        ? { old: c.querySelector('.old').textContent, new: c.querySelector('.new').textContent }
        : c.classList.contains('absent') ? { absent: true } : c.textContent),
    }));
  });
}

export const tests = [
  ['diff panel: summary header, old → new cells highlighted, added and removed rows', async ({ open }) => {
    const page = await openDiff(open, { changed: 5 });
    await loadedDiff(page);
    assert.equal(await page.locator('.diff-title').textContent(), 'events.csv: HEAD ↔ working copy');
    const chips = await page.locator('.chip').allTextContents();
    assert.deepEqual(chips.slice(0, 4), ['+1', '−1', '~5', '5 unchanged']);
    assert.match(await page.locator('.facts').textContent(), /added email/);
    assert.match(await page.locator('.facts').textContent(), /amount: format 1234.5 → 1.234,5/);
    assert.equal(await page.locator('.facts .drifted-list').textContent(), 'amount');
    const headers = await page.locator('.ghcell:not(.lead) .ghname').allTextContents();
    assert.deepEqual(headers, ['id', 'name', 'amount', 'email']);
    const rows = await gridRows(page);
    assert.equal(rows.length, 7);
    assert.deepEqual(rows[0], { type: 'changed', index: 0, cells: ['0', 'name 0', { old: '0', new: '1' }, 'u0@example.com'] });
    assert.deepEqual(rows[5], { type: 'removed', index: 5, cells: ['5', 'gone', '7', { absent: true }] });
    assert.deepEqual(rows[6], { type: 'added', index: 6, cells: ['6', 'new one', 'null', 'n@example.com'] });
    // the changed cell's old and new parts are styled apart (strike-through and a different background)
    const styles = await page.evaluate(() => {
      const c = document.querySelector('.gcell.changed');
      const s = e => getComputedStyle(e);
      return { oldDecoration: s(c.querySelector('.old')).textDecorationLine, oldBg: s(c.querySelector('.old')).backgroundColor, newBg: s(c.querySelector('.new')).backgroundColor };
    });
    assert.equal(styles.oldDecoration, 'line-through');
    assert.notEqual(styles.oldBg, styles.newBg);
  }],

  ['diff panel: filters by change type and keeps the choice across a reload', async ({ open }) => {
    const page = await openDiff(open, { changed: 5 });
    await loadedDiff(page);
    await page.locator('.filter-added').click();
    await page.waitForFunction(() => document.querySelectorAll('.grow').length === 1);
    assert.deepEqual((await gridRows(page)).map(r => r.type), ['added']);
    await page.locator('.filter-removed').click();
    await page.waitForFunction(() => document.querySelector('.grow')?.classList.contains('row-removed'));
    assert.equal(await page.locator('.filter-removed').getAttribute('aria-pressed'), 'true');
    const state = await page.evaluate(() => window.__host.state);
    assert.equal(state.filter, 'removed');
    assert.equal(state.request.a.rev, 'HEAD');
    await page.reload();
    await loadedDiff(page);
    assert.deepEqual((await gridRows(page)).map(r => r.type), ['removed']);
    await page.locator('.filter-all').click();
    await page.waitForFunction(() => document.querySelectorAll('.grow').length === 7);
  }],

  ['diff panel: in a high contrast theme the chosen filter is outlined', async ({ open }) => {
    const outlines = page => page.evaluate(() => Object.fromEntries([...document.querySelectorAll('.filter')].map(b => {
      const st = getComputedStyle(b);
      return [[...b.classList].find(c => c.startsWith('filter-')), `${st.outlineStyle} ${st.outlineColor}`];
    })));
    const page = await openDiff(open, { changed: 5, theme: 'hc' });
    await loadedDiff(page);
    await page.locator('.filter-changed').click();
    await page.waitForFunction(() => document.querySelector('.filter-changed')?.getAttribute('aria-pressed') === 'true');
    // #f38518: the theme's contrastActiveBorder; the filters not chosen have none
    const hc = await outlines(page);
    assert.equal(hc['filter-changed'], 'solid rgb(243, 133, 24)');
    assert.deepEqual(Object.entries(hc).filter(([k]) => k !== 'filter-changed').map(([, v]) => v.split(' ')[0]), ['none', 'none', 'none']);
    const dark = await openDiff(open, { changed: 5, theme: 'dark' });
    await loadedDiff(dark);
    assert.ok(Object.values(await outlines(dark)).every(v => v.startsWith('none')), 'a dark theme shows the choice by the button fill');
  }],

  ['diff panel: the virtual grid keeps only the rows in view in the DOM and scrolls to the last', async ({ open }) => {
    const page = await openDiff(open, { changed: 30000 });
    await loadedDiff(page);
    const drawn = await page.locator('.grow').count();
    assert.ok(drawn > 10 && drawn < 120, `rows in the DOM: ${drawn}`);
    await page.evaluate(() => { const s = document.querySelector('.grid-scroll'); s.scrollTop = s.scrollHeight; });
    await page.waitForFunction(() => [...document.querySelectorAll('.grow')].some(r => r.dataset.index === '30001'));
    const last = (await gridRows(page)).at(-1);
    assert.equal(last.type, 'added');
    assert.ok(await page.locator('.grow').count() < 120);
  }],

  ['diff panel: drift table with side-by-side histograms and the drifted flag', async ({ open }) => {
    const page = await openDiff(open, { changed: 3 });
    await loadedDiff(page);
    await page.locator('.tab-drift').click();
    await page.waitForSelector('.drift-table');
    const rows = await page.evaluate(() => [...document.querySelectorAll('.drift-table tbody tr')].map(tr => ({
      column: tr.dataset.column, drifted: tr.classList.contains('drifted'), psi: tr.querySelector('.psi').textContent,
      ks: tr.querySelector('.ks').textContent, before: tr.querySelectorAll('rect.before').length, after: tr.querySelectorAll('rect.after').length,
      mean: tr.children[3].textContent,
    })));
    assert.deepEqual(rows.map(r => r.column), ['id', 'name', 'amount']); // email is new: nothing to compare
    const amount = rows[2];
    assert.deepEqual(amount, { column: 'amount', drifted: true, psi: '0.3100', ks: '0.2200', before: 4, after: 4, mean: '5 → 6' });
    assert.equal(rows[1].ks, '—');
    const tip = await page.locator('.drift-table tr[data-column="amount"] rect.after title').first().textContent();
    assert.equal(tip, '≤ 1: newer 5.0%');
    assert.equal((await page.evaluate(() => window.__host.state)).tab, 'drift');
  }],

  ['diff panel: progress, cancel and run again post the right messages', async ({ open }) => {
    const page = await openDiff(open, { hold: 1 });
    await page.waitForFunction(() => document.querySelector('.run-label')?.textContent.includes('40%'));
    assert.equal(await page.locator('.run-status').isVisible(), true);
    await page.locator('.run-status .cancel').click();
    await page.waitForSelector('.failure:not([hidden])');
    assert.match(await page.locator('.failure-title').textContent(), /Cancelled/);
    await page.locator('.failure .rerun').click();
    await page.waitForFunction(() => window.__host.posted.some(m => m.type === 'rerun'));
    const types = await page.evaluate(() => window.__host.posted.map(m => m.type));
    assert.deepEqual(types, ['ready', 'cancel', 'rerun']);
    await page.evaluate(() => window.__host.finish());
    await loadedDiff(page);
    assert.equal(await page.locator('.failure').isVisible(), false);
  }],

  ['diff panel: hostile values, names, titles and errors are shown as text, never run', async ({ open }) => {
    const page = await openDiff(open, { changed: 3, xss: 1 });
    await loadedDiff(page);
    assert.equal(await page.evaluate(() => window.__xss), undefined);
    assert.equal(await page.locator('img').count(), 0);
    assert.equal(await page.locator('#strata-diff script').count(), 0);
    assert.equal(await page.locator('.diff-title').textContent(), '<img src=x onerror="window.__xss=1">');
    const rows = await gridRows(page);
    assert.deepEqual(rows[0].cells.slice(1, 3), ['<script>window.__xss=2</script>', { old: '<img src=x onerror="window.__xss=1">', new: '1' }]);
    assert.equal((await page.locator('.ghname').allTextContents())[1], '<img src=x onerror="window.__xss=1">');
    assert.match(await page.locator('.summary .warning').textContent(), /<script>window.__xss=2<\/script>/);
    const failing = await openDiff(open, { fail: 1, xss: 1 });
    await failing.waitForSelector('.failure:not([hidden])');
    assert.equal(await failing.locator('.failure-message').textContent(), '<img src=x onerror="window.__xss=1">');
    assert.equal(await failing.evaluate(() => window.__xss), undefined);
  }],
];

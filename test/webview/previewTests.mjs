// The preview webview's browser tests: each opens the built bundle against the fake host and checks the DOM and messages.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { root } from './harness.mjs';

const S = createRequire(import.meta.url)('./synthetic.js');
const N = 100_000_000;
const shots = join(root, 'docs/screenshots');

// ---- expectations, computed from the synthetic source (en-US, UTC) ------------------------------

const fmt = n => n.toLocaleString('en-US');

/** How the grid should show source row i of field f. */
function shown(i, f) {
  const v = S.valueAt(i, f);
  if (v === null) { return 'null'; }
  switch (S.fields[f].type) {
    case 'integer': return fmt(v);
    case 'number': return v.toLocaleString('en-US', { maximumFractionDigits: 6 });
    case 'boolean': return v ? 'true' : 'false';
    case 'date': return new Date(v).toISOString().slice(0, 10);
    case 'json': return JSON.stringify(JSON.parse(v));
    default: return v.trim() === '' ? `"${v}"` : v.replace(/\n/g, '↵');
  }
}

/** Plain text of a value as copied. */
function plain(i, f) {
  const v = S.valueAt(i, f);
  return v === null ? '' : S.fields[f].type === 'boolean' ? (v ? 'true' : 'false') : S.fields[f].type === 'date' ? new Date(v).toISOString().slice(0, 10) : String(v);
}

const num = text => Number(text.replace(/,/g, ''));

// ---- page helpers -------------------------------------------------------------------------------

/** Visible header names and rows (row number + cells by column name), in screen order. */
function snapshot(page) {
  return page.evaluate(() => {
    const left = e => parseFloat(e.style.left) || 0;
    const top = e => parseFloat(e.style.top) || 0;
    const headers = [...document.querySelectorAll('.hcell:not([hidden])')].sort((a, b) => left(a) - left(b))
      .map(h => ({ field: Number(h.dataset.field), name: h.querySelector('.hname').textContent, className: h.className }));
    const rows = [...document.querySelectorAll('.grow:not([hidden])')].sort((a, b) => top(a) - top(b));
    const nums = [...document.querySelectorAll('.rnum:not([hidden])')].sort((a, b) => top(a) - top(b));
    return {
      headers,
      rows: rows.map((r, k) => {
        const cells = [...r.querySelectorAll('.cell:not([hidden])')].sort((a, b) => left(a) - left(b));
        return {
          num: nums[k].textContent,
          className: r.className,
          cells: Object.fromEntries(cells.map((c, j) => [headers[j].field, { text: c.textContent, className: c.className, title: c.title }])),
        };
      }),
    };
  });
}

/** Waits until rows are drawn and no visible cell is still loading. */
async function loaded(page) {
  await page.waitForFunction(() => {
    const rows = document.querySelectorAll('.grow:not([hidden]) .cell:not([hidden])');
    return rows.length > 0 && !document.querySelector('.grow:not([hidden]) .cell.k-loading:not([hidden])');
  });
}

async function firstRowNumber(page, expected) {
  await page.waitForFunction(n => {
    const top = e => parseFloat(e.style.top) || 0;
    const nums = [...document.querySelectorAll('.rnum:not([hidden])')].sort((a, b) => top(a) - top(b));
    // the first fully visible row
    const first = nums.find(e => top(e) >= -1);
    return first?.textContent === n;
  }, expected);
  await loaded(page);
}

function checkRow(row, sourceRow, fields) {
  assert.equal(num(row.num), sourceRow + 1, 'row number');
  for (const f of fields) {
    assert.equal(row.cells[f]?.text, shown(sourceRow, f), `row ${sourceRow + 1}, ${S.fields[f].name}`);
  }
}

const received = (page, type) => page.evaluate(t => window.__host.received.filter(m => m.type === t), type);
const statusText = (page, cls) => page.locator(`.${cls}`).textContent();

async function waitStatus(page, cls, predicateText) {
  await page.waitForFunction(([c, t]) => document.querySelector(`.${c}`)?.textContent.includes(t), [cls, predicateText]);
}

async function clickCell(page, rowIndexOnScreen, field, modifiers = []) {
  const snap = await snapshot(page);
  const rowLoc = page.locator('.grow:not([hidden])');
  // screen order = style.top order; locate by aria-colindex within the row with that row number
  const target = snap.rows[rowIndexOnScreen];
  assert.ok(target, `row ${rowIndexOnScreen} on screen`);
  const box = await page.evaluate(([n, f]) => {
    const top = e => parseFloat(e.style.top) || 0;
    const rows = [...document.querySelectorAll('.grow:not([hidden])')].sort((a, b) => top(a) - top(b));
    const cell = rows[n].querySelector(`.cell[aria-colindex="${f + 2}"]:not([hidden])`);
    const r = cell.getBoundingClientRect();
    return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
  }, [rowIndexOnScreen, field]);
  void rowLoc;
  for (const m of modifiers) { await page.keyboard.down(m); }
  await page.mouse.click(box.x, box.y);
  for (const m of modifiers) { await page.keyboard.up(m); }
}

/** The grid's data-vscode-context, which VS Code reads when its context menu opens. */
const gridContext = page => page.evaluate(() => JSON.parse(document.querySelector('.grid-canvas').dataset.vscodeContext ?? 'null'));

async function setSelectValue(page, selector, value) {
  await page.evaluate(([s, v]) => {
    const el = document.querySelector(s);
    el.value = v;
    el.dispatchEvent(new Event('change', { bubbles: true }));
  }, [selector, value]);
}

// ---- tests --------------------------------------------------------------------------------------

export const tests = [
  ['renders the right cells for the first window, with only visible cells in the DOM', async ({ open }) => {
    const { page } = await open({ rows: N });
    await page.setViewportSize({ width: 900, height: 760 });
    await loaded(page);
    const snap = await snapshot(page);
    assert.deepEqual(snap.headers.map(h => h.name), S.fields.slice(0, snap.headers.length).map(f => f.name));
    assert.ok(snap.headers.length >= 5 && snap.headers.length < 9, `visible columns: ${snap.headers.length}`);
    const fields = snap.headers.map(h => h.field);
    snap.rows.forEach((r, k) => checkRow(r, k, fields));
    const cells = await page.locator('.cell').count();
    assert.ok(snap.rows.length >= 20 && snap.rows.length <= 40, `rows drawn: ${snap.rows.length}`);
    assert.ok(cells <= (snap.rows.length + 1) * (snap.headers.length + 1), `cells in the DOM: ${cells}`);
    assert.equal(await statusText(page, 'status-rows'), '100,000,000 rows × 9 columns');
    assert.match(await statusText(page, 'status-format'), /PARQUET · exact/);
    // missing is drawn differently from an empty string
    assert.match(snap.rows[3].cells[2].className, /k-missing/);
    assert.equal(snap.rows[3].cells[2].text, 'null');
    const reqs = await received(page, 'rows');
    assert.ok(reqs.every(r => r.count <= 200 && r.fileVersion === 1 && r.view && !r.view.sort), 'row requests are page-sized');
  }],

  ['the first page that comes with init is drawn without asking for it; without it the grid asks', async ({ open }) => {
    const { page } = await open({ rows: N, holdProfile: 1 });
    await page.setViewportSize({ width: 900, height: 760 });
    await loaded(page);
    let snap = await snapshot(page);
    snap.rows.forEach((r, k) => checkRow(r, k, snap.headers.map(h => h.field)));
    // the page after it is fetched ahead; page 0 never is
    await page.waitForFunction(() => window.__host.received.some(m => m.type === 'rows' && m.start === 200));
    let starts = (await received(page, 'rows')).map(r => r.start);
    assert.ok(!starts.includes(0), `row requests: ${starts}`);
    // and the quick profile is asked for after that page
    await page.waitForFunction(() => window.__host.received.some(m => m.type === 'profile'));
    const order = await page.evaluate(() => window.__host.received.filter(m => m.type === 'rows' || m.type === 'profile').map(m => m.type));
    assert.equal(order[0], 'rows', `messages: ${order}`);

    const without = await open({ rows: N, noFirstRows: 1 });
    await loaded(without.page);
    snap = await snapshot(without.page);
    snap.rows.forEach((r, k) => checkRow(r, k, snap.headers.map(h => h.field)));
    starts = (await received(without.page, 'rows')).map(r => r.start);
    assert.ok(starts.includes(0), `row requests: ${starts}`);
  }],

  ['a repeated init of the version shown (the host posts it unasked, then again when asked) changes nothing', async ({ open }) => {
    const { page } = await open({ rows: N });
    await loaded(page);
    await page.locator('.goto-row input').fill('5000');
    await page.locator('.goto-row input').press('Enter');
    await firstRowNumber(page, '5,000');
    const before = (await received(page, 'rows')).length;
    await page.evaluate(() => window.__host.init('init'));
    // a later message proves the repeat was handled: the row count after it still comes through
    await page.evaluate(() => window.__host.send({ type: 'rowCount', fileVersion: 1, rowCount: { value: window.__host.N, exact: true } }));
    await page.evaluate(() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r))));
    await firstRowNumber(page, '5,000');
    assert.equal((await received(page, 'rows')).length, before, 'no rows asked for again');
    assert.equal(await page.locator('.goto-row input').inputValue(), '5000');
  }],

  ['go to row 1,000,000 shows that row\'s cells on a scaled scrollbar', async ({ open }) => {
    const { page } = await open({ rows: N });
    await loaded(page);
    await page.locator('.goto-row input').fill('1000000');
    await page.locator('.goto-row input').press('Enter');
    await firstRowNumber(page, '1,000,000');
    const snap = await snapshot(page);
    const first = snap.rows.find(r => r.num === '1,000,000');
    checkRow(first, 999_999, snap.headers.map(h => h.field));
    assert.match(first.cells[snap.headers[0].field].className, /focus/);
    const bar = await page.evaluate(() => {
      const s = document.querySelector('.grid-scroller');
      return { top: s.scrollTop, height: s.scrollHeight, client: s.clientHeight };
    });
    assert.ok(bar.height <= 15_000_100, `scroll height capped: ${bar.height}`);
    const fraction = bar.top / (bar.height - bar.client);
    assert.ok(Math.abs(fraction - 999_999 / N) < 1e-4, `scrollbar position ${fraction}`);
  }],

  ['the scrollbar reaches the last of 100,000,000 rows and the wheel scrolls by pixels', async ({ open }) => {
    const { page } = await open({ rows: N });
    await loaded(page);
    await page.evaluate(() => { const s = document.querySelector('.grid-scroller'); s.scrollTop = s.scrollHeight; });
    await page.waitForFunction(() => [...document.querySelectorAll('.rnum:not([hidden])')].some(e => e.textContent === '100,000,000'));
    await loaded(page);
    let snap = await snapshot(page);
    const last = snap.rows[snap.rows.length - 1];
    checkRow(last, N - 1, snap.headers.map(h => h.field));
    await page.evaluate(() => { document.querySelector('.grid-scroller').scrollTop = 0; });
    await firstRowNumber(page, '1');
    const body = await page.locator('.grid-body').boundingBox();
    await page.mouse.move(body.x + 100, body.y + 100);
    await page.mouse.wheel(0, 240);
    await firstRowNumber(page, '11');
    snap = await snapshot(page);
    checkRow(snap.rows.find(r => r.num === '11'), 10, snap.headers.map(h => h.field));
  }],

  ['sorting by a header click round-trips and cycles asc, desc, none', async ({ open }) => {
    const { page } = await open({ rows: N });
    await loaded(page);
    await page.locator('.hcell[data-field="0"] .hname').click();
    await page.waitForFunction(() => document.querySelector('.hcell[data-field="0"]')?.getAttribute('aria-sort') === 'ascending');
    await waitStatus(page, 'status-view', 'sorted by id ↑');
    await page.locator('.hcell[data-field="0"] .hname').click();
    await firstRowNumber(page, '100,000,000');
    const views = await received(page, 'view');
    assert.deepEqual(views.map(v => v.view), [{ sort: [{ field: 0, direction: 'asc' }] }, { sort: [{ field: 0, direction: 'desc' }] }]);
    const snap = await snapshot(page);
    const fields = snap.headers.map(h => h.field);
    checkRow(snap.rows[0], N - 1, fields);
    checkRow(snap.rows[1], N - 2, fields);
    // the detail bar follows the focused cell into the sorted view: its first row is now source row N - 1
    await page.waitForFunction(t => document.querySelector('.detail-pos')?.textContent === t, `Row ${N.toLocaleString('en-US')} · id`.replace(/,/g, ''));
    assert.equal(await page.locator('.detail-value').textContent(), snap.rows[0].cells[0].text.replace(/,/g, ''));
    assert.match(snap.headers[0].className, /sorted/);
    assert.match(await statusText(page, 'status-view'), /sorted by id ↓/);
    const rows = await received(page, 'rows');
    assert.deepEqual(rows[rows.length - 1].view, { sort: [{ field: 0, direction: 'desc' }] });
    await page.locator('.hcell[data-field="0"] .hname').click();
    await firstRowNumber(page, '1');
    assert.equal(await page.locator('.hcell[data-field="0"]').getAttribute('aria-sort'), 'none');
  }],

  ['a column filter round-trips and the grid shows the filtered count', async ({ open }) => {
    const { page } = await open({ rows: N });
    await loaded(page);
    await page.locator('.hcell[data-field="3"] .hfilter').click();
    await page.locator('.filter-popup').waitFor({ state: 'visible' });
    await setSelectValue(page, '.filter-op', 'equals');
    await page.locator('.filter-value input').fill('gamma');
    await page.locator('.filter-apply').click();
    await waitStatus(page, 'status-view', '20,000,000 of 100,000,000 rows match');
    await firstRowNumber(page, '3');
    const views = await received(page, 'view');
    assert.deepEqual(views[views.length - 1].view, { filter: { columns: [{ field: 3, op: 'equals', value: 'gamma' }] } });
    const snap = await snapshot(page);
    snap.rows.slice(0, 10).forEach((r, k) => checkRow(r, 2 + 5 * k, snap.headers.map(h => h.field)));
    assert.equal(await page.locator('.chip .chip-text').textContent(), 'category = gamma');
    assert.match(snap.headers.find(h => h.field === 3).className, /filtered/);
    await page.locator('.chip-remove').click();
    await firstRowNumber(page, '1');
    assert.equal(await page.locator('.status-view').isVisible(), false);
  }],

  ['the context menu is told which header or cell it is for, and its commands sort, filter and copy', async ({ open }) => {
    const { page } = await open({ rows: N });
    await loaded(page);
    // a right-click on a cell outside the selection moves the focus there, as in a spreadsheet
    await clickCell(page, 0, 0);
    const box = await page.evaluate(() => {
      const top = e => parseFloat(e.style.top) || 0;
      const rows = [...document.querySelectorAll('.grow:not([hidden])')].sort((a, b) => top(a) - top(b));
      const r = rows[2].querySelector('.cell[aria-colindex="5"]:not([hidden])').getBoundingClientRect();
      return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
    });
    await page.mouse.click(box.x, box.y, { button: 'right' });
    assert.deepEqual(await gridContext(page), {
      webviewSection: 'cell', preventDefaultContextMenuItems: true, field: 3, row: 2, strataColumnSorted: false, strataCanRevealRows: false,
    });
    assert.equal(await page.locator('.detail-pos').textContent(), 'Row 3 · category');
    // on a header: the column, and whether the view is sorted by it
    await page.locator('.hcell[data-field="2"] .hname').click({ button: 'right' });
    assert.deepEqual(await gridContext(page), { webviewSection: 'column', preventDefaultContextMenuItems: true, field: 2, strataColumnSorted: false });
    assert.equal(await page.locator('.hcell[data-field="2"]').getAttribute('aria-sort'), 'none', 'a right-click does not sort');
    // the context-menu key opens it for the focused cell
    await page.evaluate(() => document.querySelector('.grid-canvas').dispatchEvent(new MouseEvent('contextmenu', { bubbles: true, button: 0 })));
    assert.deepEqual(await gridContext(page), {
      webviewSection: 'cell', preventDefaultContextMenuItems: true, field: 3, row: 2, strataColumnSorted: false, strataCanRevealRows: false,
    });

    // the commands, as the host passes them on
    await page.evaluate(() => window.__host.send({ type: 'contextAction', action: 'sortDesc', field: 0 }));
    await page.waitForFunction(() => document.querySelector('.hcell[data-field="0"]')?.getAttribute('aria-sort') === 'descending');
    await firstRowNumber(page, '100,000,000');
    await page.locator('.hcell[data-field="0"] .hname').click({ button: 'right' });
    assert.equal((await gridContext(page)).strataColumnSorted, true);
    await page.evaluate(() => window.__host.send({ type: 'contextAction', action: 'clearSort', field: 0 }));
    await firstRowNumber(page, '1');
    await page.evaluate(() => window.__host.send({ type: 'contextAction', action: 'filterValue', field: 3, row: 2 }));
    await waitStatus(page, 'status-view', '20,000,000 of 100,000,000 rows match');
    const views = await received(page, 'view');
    assert.deepEqual(views.map(v => v.view), [
      { sort: [{ field: 0, direction: 'desc' }] }, {}, { filter: { columns: [{ field: 3, op: 'equals', value: 'gamma' }] } },
    ].filter(v => Object.keys(v).length));
    assert.equal(await page.locator('.chip .chip-text').textContent(), 'category = gamma');
    await page.evaluate(() => window.__host.send({ type: 'contextAction', action: 'copyColumnName', field: 3 }));
    await waitStatus(page, 'status-selection', 'Copied the column name category');
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), 'category');
    await page.evaluate(() => window.__host.send({ type: 'contextAction', action: 'filter', field: 5 }));
    await page.locator('.filter-popup').waitFor({ state: 'visible' });
    assert.match(await page.locator('.filter-title').textContent(), /created/);
    await page.keyboard.press('Escape');
    // Show Column Profile: the Profile tab, with that column's card selected and in view
    await page.evaluate(() => window.__host.send({ type: 'contextAction', action: 'profileColumn', field: 7 }));
    await page.locator('.col-card.selected[data-field="7"]').waitFor({ state: 'visible' });
    assert.equal(await page.locator('.col-card.selected').count(), 1);
    assert.ok(await page.locator('.col-card.selected').evaluate(c => {
      const r = c.getBoundingClientRect();
      return r.bottom > 0 && r.top < window.innerHeight;
    }), 'the card is scrolled into view');
    await page.locator('.tab-data').click();
    // a message naming no column, or no known action, changes nothing
    await page.evaluate(() => {
      window.__host.send({ type: 'contextAction', action: 'sortAsc', field: 99 });
      window.__host.send({ type: 'contextAction', action: 'explode', field: 1 });
      window.__host.send({ type: 'contextAction', action: 'copyColumnName', field: 1 });
    });
    await waitStatus(page, 'status-selection', 'Copied the column name name');
    assert.equal(await page.locator('.hcell.sorted').count(), 0);
    assert.equal((await received(page, 'view')).length, 2);
  }],

  ['range and is-missing filters send their conditions and show the matching rows', async ({ open }) => {
    const rows = 2000;
    const { page } = await open({ rows });
    await loaded(page);
    await page.locator('.hcell[data-field="2"] .hfilter').click();
    await page.locator('.filter-popup').waitFor({ state: 'visible' });
    assert.equal(await page.evaluate(() => document.querySelector('.filter-op').value), 'range', 'numbers default to a range');
    await page.locator('.filter-min input').fill('0');
    await page.locator('.filter-max input').fill('10');
    await page.locator('.filter-apply').click();
    const inRange = [];
    for (let i = 0; i < rows; i++) { const v = S.valueAt(i, 2); if (v !== null && v >= 0 && v <= 10) { inRange.push(i); } }
    await waitStatus(page, 'status-view', `${fmt(inRange.length)} of 2,000 rows match`);
    await firstRowNumber(page, fmt(inRange[0] + 1));
    let views = await received(page, 'view');
    assert.deepEqual(views[views.length - 1].view, { filter: { columns: [{ field: 2, op: 'range', min: 0, max: 10 }] } });
    assert.equal(await page.locator('.chip .chip-text').textContent(), '0 ≤ score ≤ 10');
    await page.locator('.hcell[data-field="2"] .hfilter').click();
    await setSelectValue(page, '.filter-op', 'missing');
    await page.locator('.filter-apply').click();
    const missing = Math.floor((rows - 1 - 3) / 11) + 1;
    await waitStatus(page, 'status-view', `${fmt(missing)} of 2,000 rows match`);
    await firstRowNumber(page, '4');
    views = await received(page, 'view');
    assert.deepEqual(views[views.length - 1].view, { filter: { columns: [{ field: 2, op: 'missing' }] } });
    const snap = await snapshot(page);
    assert.ok(snap.rows.every(r => r.cells[2].text === 'null'));
  }],

  ['a long sort shows progress and Cancel reverts it', async ({ open }) => {
    const { page } = await open({ rows: N, holdViews: 1 });
    await loaded(page);
    await page.locator('.hcell[data-field="2"] .hname').click();
    await page.locator('.task').waitFor({ state: 'visible' });
    await page.waitForFunction(() => document.querySelector('.task-label')?.textContent.includes('Scanning 50,000,000 of 100,000,000 rows 50%'));
    assert.match(await page.locator('.hcell[data-field="2"]').getAttribute('class'), /sorted/);
    await page.locator('.task-cancel').click();
    await page.locator('.task').waitFor({ state: 'hidden' });
    const [view] = await received(page, 'view');
    const cancels = await received(page, 'cancel');
    assert.ok(cancels.some(c => c.requestId === view.requestId), 'cancel sent for the view request');
    // the header is redrawn in the next animation frame
    await page.waitForFunction(() => document.querySelector('.hcell[data-field="2"]')?.getAttribute('aria-sort') === 'none');
    assert.doesNotMatch(await page.locator('.hcell[data-field="2"]').getAttribute('class'), /sorted/);
    await firstRowNumber(page, '1');
  }],

  ['the search box filters across columns', async ({ open }) => {
    const rows = 1000;
    const { page } = await open({ rows });
    await loaded(page);
    await page.locator('.search input').fill('margaret');
    await page.locator('.search input').press('Enter');
    let expected = 0;
    let first = -1;
    for (let i = 0; i < rows; i++) {
      if (S.fields.some((_, f) => plain(i, f).toLowerCase().includes('margaret'))) { expected++; if (first < 0) { first = i; } }
    }
    await waitStatus(page, 'status-view', `${fmt(expected)} of 1,000 rows match`);
    await firstRowNumber(page, fmt(first + 1));
    const [view] = await received(page, 'view');
    assert.deepEqual(view.view, { filter: { columns: [], search: 'margaret' } });
  }],

  ['cells holding markup show the characters and run nothing', async ({ open }) => {
    const { page } = await open({ rows: N });
    await page.setViewportSize({ width: 2000, height: 700 });
    await loaded(page);
    const snap = await snapshot(page);
    assert.ok(snap.headers.some(h => h.field === 7), 'comment column visible');
    assert.equal(snap.rows[1].cells[7].text, S.XSS_IMG);
    assert.equal(snap.rows[2].cells[7].text, S.XSS_SCRIPT);
    // an empty string and a missing value look different
    assert.match(snap.rows[0].cells[7].className, /k-empty/);
    assert.match(snap.rows[7].cells[7].className, /k-missing/);
    assert.notEqual(snap.rows[0].cells[7].text, snap.rows[7].cells[7].text);
    await clickCell(page, 1, 7);
    await page.waitForFunction(t => document.querySelector('.detail-value')?.textContent === t, S.XSS_IMG);
    const dom = await page.evaluate(() => ({
      xss: window.__xss ?? null,
      images: document.querySelectorAll('img').length,
      // the page's own scripts (the bundle written in, the test host's, the controls' bundle loaded after the first
      // rows) all carry its nonce: an injected one would not
      withoutNonce: [...document.querySelectorAll('script')].filter(s => !s.nonce).length,
      scripts: [...document.querySelectorAll('script')].map(s => (s.src ? new URL(s.src).pathname : 'inline')).sort(),
      cellChildren: [...document.querySelectorAll('.cell')].filter(c => c.children.length > 0).length,
    }));
    const scripts = ['/dist/webview/preview-controls.js', '/test/webview/fakeHost.js', '/test/webview/synthetic.js',
      '/test/webview/themes.js', 'inline'];
    assert.deepEqual(dom, { xss: null, images: 0, withoutNonce: 0, scripts, cellChildren: 0 });
  }],

  ['UI state restores after a reload: scroll row, sort and selected column', async ({ open }) => {
    const { page } = await open({ rows: 10_000 });
    await loaded(page);
    await page.locator('.hcell[data-field="2"] .hname').click();
    await page.waitForFunction(() => document.querySelector('.hcell[data-field="2"]')?.getAttribute('aria-sort') === 'ascending');
    await page.locator('.hcell[data-field="2"] .hname').click();
    await page.waitForFunction(() => document.querySelector('.hcell[data-field="2"]')?.getAttribute('aria-sort') === 'descending');
    await waitStatus(page, 'status-view', 'sorted by score ↓');
    await page.locator('.goto-row input').fill('5000');
    await page.locator('.goto-row input').press('Enter');
    await page.waitForFunction(() => window.__host.state?.topRow === 4999 && window.__host.state?.sort?.[0]?.direction === 'desc');
    await loaded(page);
    const before = await snapshot(page);
    const topBefore = before.rows[0];
    await page.reload();
    await page.waitForFunction(() => window.__host.received.some(m => m.type === 'view'));
    await firstRowNumber(page, topBefore.num);
    const [view] = await received(page, 'view');
    assert.deepEqual(view.view, { sort: [{ field: 2, direction: 'desc' }] });
    const after = await snapshot(page);
    const header = after.headers.find(h => h.field === 2);
    assert.match(header.className, /sorted/);
    assert.match(header.className, /selected/);
    assert.deepEqual(after.rows[0].cells, before.rows[0].cells);
    assert.equal(await page.locator('.status-selection').textContent(), 'Row 5,000, column 1');
    assert.match(after.rows[0].cells[0].className, /focus/);
  }],

  ['keyboard navigation moves the selection', async ({ open }) => {
    const { page } = await open({ rows: N });
    await loaded(page);
    await clickCell(page, 0, 0);
    const status = () => page.locator('.status-selection').textContent();
    for (const k of ['ArrowDown', 'ArrowDown', 'ArrowRight']) { await page.keyboard.press(k); }
    assert.equal(await status(), 'Row 3, column 2');
    assert.equal(await page.locator('.cell.focus').textContent(), shown(2, 1));
    const pageRows = await page.evaluate(() => Math.floor((document.querySelector('.grid-scroller').clientHeight - 50) / 24));
    await page.keyboard.press('PageDown');
    assert.equal(await status(), `Row ${3 + pageRows}, column 2`);
    await page.keyboard.press('End');
    assert.equal(await status(), `Row ${3 + pageRows}, column 9`);
    await page.waitForFunction(() => [...document.querySelectorAll('.hcell:not([hidden])')].some(h => h.dataset.field === '8'));
    await page.keyboard.press('Home');
    assert.equal(await status(), `Row ${3 + pageRows}, column 1`);
    await page.keyboard.press('Control+End');
    assert.equal(await status(), 'Row 100,000,000, column 9');
    await page.waitForFunction(() => document.querySelector('.cell.focus')?.closest('.grow') !== null);
    await loaded(page);
    assert.equal(await page.locator('.cell.focus').textContent(), shown(N - 1, 8));
    await page.keyboard.press('Control+Home');
    assert.equal(await status(), 'Row 1, column 1');
    await firstRowNumber(page, '1');
    await page.keyboard.press('Shift+ArrowDown');
    await page.keyboard.press('Shift+ArrowDown');
    await page.keyboard.press('Shift+ArrowRight');
    assert.equal(await status(), '3 × 2 selected');
    assert.equal(await page.locator('.cell.sel').count(), 6);
  }],

  ['a high contrast theme outlines the selected range, whose background it leaves clear', async ({ open }) => {
    const outlines = page => page.evaluate(() => [...document.querySelectorAll('.grow:not([hidden]) .cell:not([hidden])')].map(c => {
      const st = getComputedStyle(c);
      return { sel: c.classList.contains('sel'), focus: c.classList.contains('focus'), style: st.outlineStyle, color: st.outlineColor };
    }));
    for (const theme of ['hc', 'dark']) {
      const { page } = await open({ rows: N, theme });
      await loaded(page);
      await clickCell(page, 0, 0);
      await clickCell(page, 2, 1, ['Shift']);
      assert.equal(await page.locator('.status-selection').textContent(), '3 × 2 selected');
      const cells = await outlines(page);
      const selected = cells.filter(c => c.sel && !c.focus);
      assert.equal(selected.length, 5, theme);
      const focused = cells.find(c => c.focus);
      assert.equal(focused?.style, 'solid', theme);
      assert.ok(cells.filter(c => !c.sel).every(c => c.style === 'none'), `${theme}: unselected cells have no outline`);
      if (theme === 'hc') {
        // #f38518: the theme's contrastActiveBorder
        assert.ok(selected.every(c => c.style === 'dashed' && c.color === 'rgb(243, 133, 24)'), JSON.stringify(selected[0]));
      } else {
        assert.ok(selected.every(c => c.style === 'none'), 'a dark theme shows the selection by its background');
      }
    }
  }],

  ['copy puts the selected range on the clipboard as TSV and as Markdown', async ({ open }) => {
    const { page } = await open({ rows: N });
    await loaded(page);
    await clickCell(page, 0, 0);
    await clickCell(page, 3, 3, ['Shift']);
    assert.equal(await page.locator('.status-selection').textContent(), '4 × 4 selected');
    await page.keyboard.press('Control+c');
    await waitStatus(page, 'status-selection', 'Copied 4 rows as TSV');
    const rows = [0, 1, 2, 3].map(i => [0, 1, 2, 3].map(f => plain(i, f)));
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), rows.map(r => r.join('\t')).join('\n'));
    await page.locator('.copy-button').click();
    await page.locator('.copy-markdown').click();
    await waitStatus(page, 'status-selection', 'as MARKDOWN');
    const md = ['| id | name | score | category |', '| --- | --- | --- | --- |', ...rows.map(r => `| ${r.join(' | ')} |`)].join('\n') + '\n';
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), md);
  }],

  ['copy falls back to the host when the clipboard refuses, and refuses huge selections', async ({ open }) => {
    const { page } = await open({ rows: N });
    await loaded(page);
    await page.evaluate(() => { navigator.clipboard.writeText = () => Promise.reject(new Error('denied')); });
    await clickCell(page, 1, 1);
    await page.keyboard.press('Control+Shift+c');
    await page.waitForFunction(() => window.__host.received.some(m => m.type === 'copy'));
    const [copy] = await received(page, 'copy');
    assert.deepEqual(copy, { type: 'copy', text: `name\n${plain(1, 1)}`, format: 'tsv' });
    await page.keyboard.press('Control+a');
    assert.equal(await page.locator('.status-selection').textContent(), '100,000,000 × 9 selected');
    await page.keyboard.press('Control+c');
    await page.locator('.banner').waitFor({ state: 'visible' });
    assert.match(await page.locator('.banner-text').textContent(), /900,000,000 cells; copying is limited to 500,000/);
    assert.equal((await received(page, 'copy')).length, 1);
  }],

  ['a column resized by dragging its header edge keeps its width across a reload', async ({ open }) => {
    const { page } = await open({ rows: 1000 });
    await loaded(page);
    const header = page.locator('.hcell[data-field="1"]');
    const box = await header.boundingBox();
    await page.mouse.move(box.x + box.width - 2, box.y + 10);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width + 78, box.y + 10, { steps: 4 });
    await page.mouse.up();
    const width = box.width + 80;
    await page.waitForFunction(w => Math.abs(parseFloat(document.querySelector('.hcell[data-field="1"]').style.width) - w) < 1, width);
    assert.equal(await header.getAttribute('aria-sort'), 'none', 'resizing does not sort');
    await page.waitForFunction(w => Math.abs((window.__host.state?.widths?.name ?? 0) - w) < 1, width);
    await page.reload();
    await loaded(page);
    const cellWidths = await page.evaluate(() => [...document.querySelectorAll('.grow:not([hidden]) .cell[aria-colindex="3"]')].map(c => parseFloat(c.style.width)));
    assert.ok(cellWidths.length > 10 && cellWidths.every(w => Math.abs(w - width) < 1), `cell widths ${cellWidths.slice(0, 3)}`);
  }],

  ['on the data pane the first rows are asked for before the quick profile, which follows them', async ({ open }) => {
    const { page } = await open({ rows: N });
    await loaded(page);
    await page.waitForFunction(() => window.__host.received.some(m => m.type === 'profile'));
    const order = await page.evaluate(() => window.__host.received.map(m => m.type).filter(t => t === 'rows' || t === 'profile'));
    assert.equal(order[0], 'rows', `first requests: ${order.slice(0, 4).join(', ')}`);
    const [profile] = await received(page, 'profile');
    assert.equal(profile.full, false);
  }],

  ['an estimated row count is marked and updates when the host knows more', async ({ open }) => {
    const { page } = await open({ rows: 5000 });
    await loaded(page);
    await page.evaluate(() => window.__host.send({ type: 'rowCount', fileVersion: 1, rowCount: { value: 4800, exact: false } }));
    await waitStatus(page, 'status-rows', '≈ 4,800 rows × 9 columns');
    assert.match(await statusText(page, 'status-format'), /estimated/);
    await page.evaluate(() => window.__host.send({ type: 'rowCount', fileVersion: 1, rowCount: { value: 5000, exact: true } }));
    await waitStatus(page, 'status-rows', '5,000 rows × 9 columns');
    // a count for an older file version is ignored
    await page.evaluate(() => window.__host.send({ type: 'rowCount', fileVersion: 0, rowCount: { value: 7, exact: true } }));
    await page.evaluate(() => window.__host.send({ type: 'rowCount', fileVersion: 1, rowCount: { value: 5000, exact: true } }));
    assert.equal(await statusText(page, 'status-rows'), '5,000 rows × 9 columns');
  }],

  ['the profile pane shows quick figures, then the full pass with the quality summary', async ({ open }) => {
    const { page } = await open({ rows: 20_000, holdProfile: 1 });
    await loaded(page);
    // the quick profile feeds the header charts
    const hist = await page.evaluate(() => window.__host.lastProfile.columnProfiles[2].number.histogram.counts.length);
    await page.waitForFunction(n => document.querySelectorAll('.hcell[data-field="2"] .hcell-chart rect.chart-bar').length === n, hist);
    // the hidden pane keeps the quick profile without drawing it, and draws it when shown
    assert.equal(await page.locator('.col-card').count(), 0);
    await page.locator('vscode-tab-header.tab-profile').click();
    await page.locator('.sample-badge').waitFor({ state: 'visible' });
    await page.locator('.profile-progress').waitFor({ state: 'visible' });
    assert.equal(await page.locator('.profile-status-text').textContent(), 'Quick figures from a sample of 10,000 rows.');
    const fieldCount = await page.evaluate(() => window.__host.lastProfile.columnProfiles.length);
    assert.equal(await page.locator('.col-card').count(), fieldCount);
    const full = (await received(page, 'profile')).find(m => m.full);
    assert.ok(full, 'a full profile was requested when the pane opened');
    await page.evaluate(id => window.__host.release(id), full.requestId);
    await page.waitForFunction(() => document.querySelector('.profile-status-text')?.textContent.startsWith('Full profile of 20,000 rows'));
    assert.equal(await page.locator('.sample-badge').isVisible(), false);
    assert.equal(await page.locator('.profile-progress').isVisible(), false);
    const p = await page.evaluate(() => window.__host.lastProfile);
    assert.equal(p.sample, false);
    for (const [key, d] of Object.entries(p.quality)) {
      const tile = page.locator(`.q-${key}`);
      assert.equal(await tile.locator('.q-score').textContent(), d.score === null ? 'not assessed' : `${(d.score * 100).toFixed(1)}%`, key);
      assert.equal(await tile.locator('.q-measured').textContent(), d.measured);
    }
    const score = p.columnProfiles[2];
    const card = page.locator('.col-card[data-field="2"]');
    const fig = async name => card.locator('.figure', { has: page.locator(`dt:text-is("${name}")`) }).locator('dd').textContent();
    const stat = v => v.toLocaleString('en-US', { maximumFractionDigits: Math.abs(v) >= 100 ? 2 : 4 });
    assert.equal(await fig('Min'), stat(score.number.min));
    assert.equal(await fig('Max'), stat(score.number.max));
    assert.equal(await fig('Missing'), `${fmt(score.missing)} (${(score.missing / 20_000 * 100).toFixed(1)}%)`);
    assert.equal(await card.locator('svg.histogram rect.chart-bar').count(), score.number.histogram.counts.length);
    const cat = page.locator('.col-card[data-field="3"] .top-values .vb-label');
    assert.deepEqual(await cat.allTextContents(), p.columnProfiles[3].top.map(t => t.value));
    assert.equal(await page.locator('.figure', { has: page.locator('dt:text-is("Rows")') }).locator('dd').textContent(), '20,000');
    await page.locator('.export-markdown').click();
    await page.waitForFunction(() => window.__host.received.some(m => m.type === 'exportProfile' && m.format === 'markdown'));
  }],

  ['highlightRow from the text editor scrolls to and marks the row; a click asks to reveal a row', async ({ open }) => {
    const { page } = await open({ rows: N, reveal: 1 });
    await loaded(page);
    await page.evaluate(() => window.__host.send({ type: 'highlightRow', row: 500_000 }));
    await page.waitForFunction(() => document.querySelector('.grow.hl:not([hidden])'));
    await loaded(page);
    const snap = await snapshot(page);
    const marked = snap.rows.filter(r => r.className.includes('hl'));
    assert.deepEqual(marked.map(r => r.num), ['500,001']);
    checkRow(marked[0], 500_000, snap.headers.map(h => h.field));
    const k = snap.rows.indexOf(marked[0]);
    await clickCell(page, k + 2, 1);
    await page.waitForFunction(() => window.__host.received.some(m => m.type === 'revealRow'));
    assert.deepEqual((await received(page, 'revealRow')).map(m => m.row), [500_002]);
  }],

  ['a changed file keeps the sort and scroll position', async ({ open }) => {
    const { page } = await open({ rows: 10_000 });
    await loaded(page);
    await page.locator('.hcell[data-field="0"] .hname').click();
    await page.waitForFunction(() => document.querySelector('.hcell[data-field="0"]')?.getAttribute('aria-sort') === 'ascending');
    await page.locator('.hcell[data-field="0"] .hname').click();
    await firstRowNumber(page, '10,000');
    await page.locator('.goto-row input').fill('101');
    await page.locator('.goto-row input').press('Enter');
    await firstRowNumber(page, '9,900');
    await page.evaluate(() => { window.__host.fileVersion = 2; window.__host.init('fileChanged'); });
    await page.waitForFunction(() => window.__host.received.some(m => m.type === 'view' && m.fileVersion === 2));
    await firstRowNumber(page, '9,900');
    const views = await received(page, 'view');
    assert.deepEqual(views[views.length - 1].view, { sort: [{ field: 0, direction: 'desc' }] });
    const rows = await received(page, 'rows');
    assert.equal(rows[rows.length - 1].fileVersion, 2);
  }],

  ['helpful states: an unreadable file, an empty dataset, warnings', async ({ open }) => {
    const bad = await open({ fail: 1 });
    await bad.page.locator('.fatal-message').waitFor();
    assert.equal(await bad.page.locator('.fatal-message').textContent(), 'Not a Parquet file: the magic bytes PAR1 are missing.');
    const empty = await open({ rows: 0, warn: 1 });
    await empty.page.locator('.grid-message').waitFor({ state: 'visible' });
    assert.equal(await empty.page.locator('.grid-message').textContent(), 'No rows.');
    assert.equal(await empty.page.locator('.status-rows').textContent(), '0 rows × 9 columns');
    assert.equal(await empty.page.locator('.status-warnings').getAttribute('title'), 'Line 12: 3 fields where 9 were expected');
  }],

  ['the status bar says a schema applies and, on hover, which one and where it came from', async ({ open }) => {
    const { page } = await open({ rows: 10, schema: 'schema data/trips.schema.json (beside the file)' });
    await loaded(page);
    assert.match(await statusText(page, 'status-format'), /PARQUET · exact · schema$/);
    assert.equal(await page.locator('.status-format').getAttribute('title'), 'synthetic.parquet\nSchema: schema data/trips.schema.json (beside the file)');
    const none = await open({ rows: 10 });
    await loaded(none.page);
    assert.doesNotMatch(await statusText(none.page, 'status-format'), /schema/);
  }],

  ['the status bar shows a delimited file\'s reading: a hint after the format, and on hover the whole line, as text', async ({ open }) => {
    const reading = { hint: ' (semicolon)', line: 'Read as semicolon-separated, no header row; as its data package\'s Table Dialect declares' };
    const { page } = await open({ rows: 10, title: 'lab.csv', reading: JSON.stringify(reading), schema: 'resource "lab" of datapackage.json' });
    await loaded(page);
    assert.match(await statusText(page, 'status-format'), /^CSV \(semicolon\) · exact · schema$/);
    assert.equal(await page.locator('.status-format').getAttribute('title'), `lab.csv\n${reading.line}\nSchema: resource "lab" of datapackage.json`);
    // hostile text stays text
    const hostile = await open({ rows: 10, title: 'x.csv', reading: JSON.stringify({ hint: ' <img src=x onerror=alert(1)>', line: '<b>bold</b>' }) });
    await loaded(hostile.page);
    assert.equal(await hostile.page.locator('.status-format img').count(), 0);
    assert.match(await statusText(hostile.page, 'status-format'), /^CSV <img src=x onerror=alert\(1\)> · exact$/);
  }],

  ['screenshots: grid and profile in light and dark themes', async ({ open }) => {
    mkdirSync(shots, { recursive: true });
    for (const theme of ['light', 'dark']) {
      const { page } = await open({ rows: N, theme, title: 'trips.parquet' });
      await loaded(page);
      await page.waitForFunction(() => document.querySelectorAll('.hcell-chart svg').length >= 5);
      await clickCell(page, 4, 1);
      await clickCell(page, 6, 2, ['Shift']);
      await page.evaluate(() => window.__host.send({ type: 'highlightRow', row: 9 }));
      await page.waitForFunction(() => document.querySelector('.grow.hl'));
      await loaded(page);
      await page.screenshot({ path: join(shots, `preview-grid-${theme}.png`) });

      const prof = await open({ rows: 50_000, theme, title: 'trips.parquet' });
      await loaded(prof.page);
      await prof.page.locator('vscode-tab-header.tab-profile').click();
      await prof.page.waitForFunction(() => document.querySelector('.profile-status-text')?.textContent.startsWith('Full profile'));
      await prof.page.screenshot({ path: join(shots, `preview-profile-${theme}.png`) });
    }
  }],
];

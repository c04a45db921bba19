// The drift table: per shared column, the figures before → after, PSI, KS, the drifted flag and a
// histogram of both versions side by side on the same bins (theme colours, labels as text).
import type { DiffColumnDto, DiffDto } from '../../src/shared/diffProtocol';
import { codicon, el, svgEl } from '../preview/dom';
import { count, metric, pair, share, spread, stat } from './diffFormat';

const CHART_W = 220;
const CHART_H = 48;

export function driftTable(diff: DiffDto): HTMLElement {
  const wrap = el('div', 'drift');
  const cols = diff.columns.filter(c => c.drift);
  if (cols.length === 0) {
    wrap.appendChild(el('p', 'drift-empty', diff.a.exists && diff.b.exists ? 'The versions share no column to compare.' : 'Drift needs both versions.'));
    return wrap;
  }
  const legend = el('div', 'drift-legend');
  legend.append(swatch('before'), el('span', '', 'older'), swatch('after'), el('span', '', 'newer'),
    el('span', 'drift-rule', `drifted: PSI ≥ ${diff.thresholds.psi} or KS ≥ ${diff.thresholds.ks}`));
  const table = el('table', 'drift-table');
  const head = el('tr');
  for (const h of ['Column', 'Missing', 'Distinct', 'Mean', 'Std', 'Median', 'PSI', 'KS', '', 'Distribution']) { head.appendChild(el('th', '', h)); }
  table.appendChild(el('thead')).appendChild(head);
  const body = el('tbody');
  for (const c of cols) { body.appendChild(driftRow(c)); }
  table.appendChild(body);
  wrap.append(legend, table);
  return wrap;
}

function swatch(which: 'before' | 'after'): HTMLElement {
  const s = el('span', `swatch ${which}`);
  s.setAttribute('aria-hidden', 'true');
  return s;
}

function driftRow(c: DiffColumnDto): HTMLElement {
  const d = c.drift as NonNullable<DiffColumnDto['drift']>;
  const type = c.typeAfter;
  const tr = el('tr', d.drifted ? 'drifted' : '');
  tr.dataset.column = c.name;
  const name = el('td', 'drift-name');
  name.appendChild(el('span', 'cname', c.name));
  name.appendChild(el('span', 'ctype', c.typeBefore === c.typeAfter ? String(type) : `${c.typeBefore} → ${c.typeAfter}`));
  tr.appendChild(name);
  const cell = (text: string, className = ''): void => { tr.appendChild(el('td', className, text)); };
  cell(pair(share(d.before.missingShare), share(d.after.missingShare)), 'num');
  cell(pair(`${d.before.distinctApprox ? '≈' : ''}${count(d.before.distinct)}`, `${d.after.distinctApprox ? '≈' : ''}${count(d.after.distinct)}`), 'num');
  cell(pair(stat(d.before.mean, type), stat(d.after.mean, type)), 'num');
  cell(pair(spread(d.before.std, type), spread(d.after.std, type)), 'num');
  cell(pair(stat(d.before.quantiles?.p50 ?? null, type), stat(d.after.quantiles?.p50 ?? null, type)), 'num');
  cell(metric(d.psi), 'num psi');
  cell(metric(d.ks), 'num ks');
  const flag = el('td', 'flag');
  if (d.drifted) {
    const badge = el('span', 'drift-badge');
    badge.append(codicon('warning'), el('span', '', 'drifted'));
    flag.appendChild(badge);
  }
  tr.appendChild(flag);
  const chart = el('td', 'chart-cell');
  if (d.histogram) { chart.appendChild(pairedBars(c.name, d.histogram)); }
  tr.appendChild(chart);
  return tr;
}

/** Two bars per bin, older then newer, scaled to the largest share; each bar's tooltip is its label and share. */
export function pairedBars(column: string, h: { labels: string[]; before: number[]; after: number[] }): SVGSVGElement {
  const svg = svgEl('svg', { viewBox: `0 0 ${CHART_W} ${CHART_H}`, width: CHART_W, height: CHART_H, role: 'img', class: 'paired-bars' });
  svg.setAttribute('aria-label', `${column}: share of rows per bin, older and newer version`);
  const n = Math.max(1, h.labels.length);
  const max = Math.max(1e-9, ...h.before, ...h.after);
  const slot = CHART_W / n;
  const bar = Math.max(1, slot / 2 - 1);
  h.labels.forEach((label, i) => {
    for (const [k, which, v] of [[0, 'before', h.before[i]], [1, 'after', h.after[i]]] as const) {
      const height = v > 0 ? Math.max(1, (v / max) * (CHART_H - 2)) : 0;
      const r = svgEl('rect', { x: i * slot + k * bar, y: CHART_H - height, width: bar, height, class: `bar ${which}` });
      const t = svgEl('title');
      t.textContent = `${label}: ${which === 'before' ? 'older' : 'newer'} ${share(v)}`;
      r.appendChild(t);
      svg.appendChild(r);
    }
  });
  svg.appendChild(svgEl('line', { x1: 0, x2: CHART_W, y1: CHART_H - 0.5, y2: CHART_H - 0.5, class: 'axis' }));
  return svg;
}

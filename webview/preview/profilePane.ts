// The profile pane: data-quality summary, dataset figures and one card per column, with progress, cancel and export.
import type {
  ColumnProfileDto, DatasetProfileDto, FieldDto, QualityDimensionName, ValueCount,
} from '../../src/shared/protocol';
import { barsSvg } from './charts';
import { displayIso, oneLine, timeOfDay, typeIcon } from './cellText';
import { clear, codicon, el } from './dom';
import { fmtBytes, fmtCompact, fmtCount, fmtDuration, fmtPct, fmtStat } from './figures';

export interface ProfileEvents {
  onRun(): void;
  onCancel(): void;
  onExport(format: 'markdown' | 'json'): void;
  /** A column's name was clicked: show it in the grid. */
  onColumn(field: number): void;
}

const DIMENSIONS: { key: QualityDimensionName; label: string }[] = [
  { key: 'completeness', label: 'Completeness' },
  { key: 'uniqueness', label: 'Uniqueness' },
  { key: 'validity', label: 'Validity' },
  { key: 'consistency', label: 'Consistency' },
  { key: 'timeliness', label: 'Timeliness' },
  { key: 'accuracy', label: 'Accuracy' },
];

type State = 'idle' | 'running' | 'cancelled' | 'error';

export class ProfilePane {
  readonly element: HTMLDivElement;
  private readonly status: HTMLSpanElement;
  private readonly sampleBadge: HTMLElement;
  private readonly progressBox: HTMLDivElement;
  private readonly progressBar: HTMLElementTagNameMap['vscode-progress-bar'];
  private readonly progressLabel: HTMLSpanElement;
  private readonly runButton: HTMLElementTagNameMap['vscode-button'];
  private readonly exportMd: HTMLElementTagNameMap['vscode-button'];
  private readonly exportJson: HTMLElementTagNameMap['vscode-button'];
  private readonly body: HTMLDivElement;
  private profile: DatasetProfileDto | null = null;
  private visible = false;
  /** The body shows an older profile (or state) than the latest, which is drawn when the pane is shown. */
  private bodyStale = false;
  private fields: FieldDto[] = [];
  private selected: number | null = null;
  private state: State = 'idle';
  private message = '';

  constructor(private readonly events: ProfileEvents) {
    this.element = el('div', 'profile');
    const head = el('div', 'profile-head');
    const statusBox = el('div', 'profile-status');
    this.status = el('span', 'profile-status-text', 'No profile yet.');
    this.sampleBadge = document.createElement('vscode-badge');
    this.sampleBadge.className = 'sample-badge';
    this.sampleBadge.textContent = 'quick (sample)';
    this.sampleBadge.hidden = true;
    statusBox.append(this.status, this.sampleBadge);

    this.progressBox = el('div', 'profile-progress');
    this.progressBox.hidden = true;
    this.progressBar = document.createElement('vscode-progress-bar');
    this.progressBar.setAttribute('aria-label', 'Profile progress');
    this.progressLabel = el('span', 'progress-label');
    const cancel = document.createElement('vscode-button');
    cancel.secondary = true;
    cancel.icon = 'close';
    cancel.textContent = 'Cancel';
    cancel.className = 'profile-cancel';
    cancel.addEventListener('click', () => this.events.onCancel());
    this.progressBox.append(this.progressBar, this.progressLabel, cancel);

    const actions = el('div', 'profile-actions');
    this.runButton = document.createElement('vscode-button');
    this.runButton.icon = 'play';
    this.runButton.textContent = 'Run full profile';
    this.runButton.className = 'profile-run';
    this.runButton.addEventListener('click', () => this.events.onRun());
    this.exportMd = document.createElement('vscode-button');
    this.exportMd.secondary = true;
    this.exportMd.icon = 'markdown';
    this.exportMd.textContent = 'Export Markdown';
    this.exportMd.className = 'export-markdown';
    this.exportMd.addEventListener('click', () => this.events.onExport('markdown'));
    this.exportJson = document.createElement('vscode-button');
    this.exportJson.secondary = true;
    this.exportJson.icon = 'json';
    this.exportJson.textContent = 'Export JSON';
    this.exportJson.className = 'export-json';
    this.exportJson.addEventListener('click', () => this.events.onExport('json'));
    actions.append(this.runButton, this.exportMd, this.exportJson);
    head.append(statusBox, this.progressBox, actions);

    this.body = el('div', 'profile-body');
    this.element.append(head, this.body);
    this.renderHead();
    this.renderBody();
  }

  setFields(fields: FieldDto[]): void { this.fields = fields; }

  reset(): void { this.profile = null; this.state = 'idle'; this.renderHead(); this.renderBody(); }

  setRunning(running: boolean): void {
    this.state = running ? 'running' : this.state === 'running' ? 'idle' : this.state;
    if (running) { this.setProgress(null, 'Starting…'); }
    this.renderHead();
  }

  setProgress(fraction: number | null, label: string): void {
    if (fraction === null) { this.progressBar.indeterminate = true; this.progressBar.value = undefined; }
    else { this.progressBar.indeterminate = false; this.progressBar.max = 1; this.progressBar.value = fraction; }
    this.progressLabel.textContent = fraction === null ? label : `${label} (${Math.round(fraction * 100)}%)`;
  }

  setCancelled(): void { this.state = 'cancelled'; this.renderHead(); }
  setError(message: string): void { this.state = 'error'; this.message = message; this.renderHead(); if (!this.profile) { this.renderBody(); } }

  setProfile(p: DatasetProfileDto, running: boolean): void {
    this.profile = p;
    this.state = running ? 'running' : 'idle';
    this.renderHead();
    this.renderBody();
  }

  /** Marks a column's card and scrolls it into view. */
  setSelected(field: number | null, reveal: boolean): void {
    this.selected = field;
    if (this.bodyStale) { return; } // drawn with the selection when shown
    for (const card of this.body.querySelectorAll<HTMLElement>('.col-card')) {
      const on = Number(card.dataset.field) === field;
      card.classList.toggle('selected', on);
      if (on && reveal) { card.scrollIntoView({ block: 'nearest' }); }
    }
  }

  private renderHead(): void {
    const p = this.profile;
    const running = this.state === 'running';
    this.progressBox.hidden = !running;
    this.runButton.hidden = running || (p !== null && !p.sample);
    this.runButton.textContent = this.state === 'cancelled' ? 'Run full profile again' : 'Run full profile';
    this.exportMd.disabled = p === null;
    this.exportJson.disabled = p === null;
    this.sampleBadge.hidden = !p?.sample;
    let text: string;
    if (this.state === 'error') { text = `Profile failed: ${this.message}`; }
    else if (!p) { text = running ? 'Profiling…' : 'No profile yet.'; }
    else if (p.sample) { text = `Quick figures from a sample of ${fmtCount(p.rowsProfiled)} rows.`; }
    else { text = `Full profile of ${fmtCount(p.rowsProfiled)} rows in ${fmtDuration(p.elapsedMs)}.`; }
    if (this.state === 'cancelled') { text += ' Full pass cancelled.'; }
    this.status.textContent = text;
    this.status.classList.toggle('error', this.state === 'error');
  }

  /**
   * Shown or hidden with its tab. While hidden, profiles are kept but not drawn (the quick profile arrives just after
   * the first rows, when the data pane is the one in use); the latest is drawn when the pane is shown.
   */
  setVisible(visible: boolean): void {
    this.visible = visible;
    if (visible && this.bodyStale) { this.renderBody(); }
  }

  private renderBody(): void {
    if (!this.visible) { this.bodyStale = true; return; }
    this.bodyStale = false;
    clear(this.body);
    const p = this.profile;
    if (!p) {
      const empty = el('div', 'empty-state');
      empty.append(codicon(this.state === 'error' ? 'error' : 'graph'), el('p', '', this.state === 'error'
        ? 'The profile could not be computed.'
        : 'Column profiles appear here: quick figures from a sample first, then the exact full pass.'));
      this.body.appendChild(empty);
      return;
    }
    this.body.append(this.qualitySection(p), this.datasetSection(p), this.columnsSection(p));
    this.setSelected(this.selected, false);
  }

  private qualitySection(p: DatasetProfileDto): HTMLElement {
    const s = el('section', 'quality');
    s.appendChild(el('h2', '', 'Data quality'));
    const grid = el('div', 'quality-grid');
    for (const { key, label } of DIMENSIONS) {
      const d = p.quality[key];
      const tile = el('div', `q-tile q-${key}${d.score === null ? ' q-na' : ''}`);
      tile.dataset.dimension = key;
      const head = el('div', 'q-head');
      head.append(el('span', 'q-name', label), el('span', 'q-score', d.score === null ? 'not assessed' : fmtPct(d.score)));
      const meter = el('div', 'q-meter');
      const fill = el('div', `q-fill ${scoreClass(d.score)}`);
      fill.style.width = `${Math.round((d.score ?? 0) * 100)}%`;
      meter.appendChild(fill);
      tile.append(head, meter, el('div', 'q-measured', d.measured));
      if (d.worstColumns.length) { tile.appendChild(el('div', 'q-worst', `Lowest: ${d.worstColumns.join(', ')}`)); }
      grid.appendChild(tile);
    }
    s.appendChild(grid);
    return s;
  }

  private datasetSection(p: DatasetProfileDto): HTMLElement {
    const s = el('section', 'dataset');
    s.appendChild(el('h2', '', 'Dataset'));
    s.appendChild(figureList([
      ['Rows', `${fmtCount(p.rows.value)}${p.rows.exact ? '' : ' (estimated)'}`],
      ['Columns', fmtCount(p.columns)],
      ['Duplicate rows', p.duplicateRows === null ? 'not computed' : `${fmtCount(p.duplicateRows)}${p.sample ? ' in sample' : ''}`],
      ['Memory (estimate)', fmtBytes(p.memoryBytes)],
    ], 'dataset-figures'));
    return s;
  }

  private columnsSection(p: DatasetProfileDto): HTMLElement {
    const s = el('section', 'columns');
    s.appendChild(el('h2', '', 'Columns'));
    const cards = el('div', 'cards');
    for (const c of p.columnProfiles) { cards.appendChild(this.card(c, p.sample)); }
    s.appendChild(cards);
    return s;
  }

  private card(c: ColumnProfileDto, sample: boolean): HTMLElement {
    const card = el('article', 'col-card');
    card.dataset.field = String(c.field);
    const head = el('header', 'col-head');
    const declared = c.type ?? this.fields[c.field]?.type ?? c.inferredType;
    const name = el('button', 'col-name', c.name);
    name.type = 'button';
    name.title = 'Show this column in the grid';
    name.addEventListener('click', () => this.events.onColumn(c.field));
    head.append(codicon(typeIcon(c.inferredType)), name, el('span', 'col-type', declared === c.inferredType ? c.inferredType : `${declared} → ${c.inferredType}`));
    if (sample) { head.appendChild(el('span', 'tag sample-tag', 'sample')); }
    for (const a of c.alerts) { head.appendChild(el('span', `tag alert-tag alert-${a.toLowerCase()}`, a)); }
    card.appendChild(head);

    const total = c.count + c.missing;
    card.appendChild(figureList([
      ['Values', fmtCount(c.count)],
      ['Missing', `${fmtCount(c.missing)} (${fmtPct(total ? c.missing / total : 0)})`],
      ['Distinct', `${c.distinctApprox ? '≈ ' : ''}${fmtCount(c.distinct)}`],
      ['Type consistency', fmtPct(c.typeConsistency)],
    ], 'col-figures'));

    if (c.number) {
      const n = c.number;
      // a time column's figures are milliseconds since midnight: shown as times of day, as the grid shows them
      const isTime = c.inferredType === 'time';
      const stat = isTime ? (v: number | null): string => (v === null ? '—' : timeOfDay(v)) : fmtStat;
      const compact = isTime ? stat : fmtCompact;
      card.appendChild(figureList([
        ['Min', n.minExact ?? stat(n.min)], ['Max', n.maxExact ?? stat(n.max)], ['Mean', stat(n.mean)], ['Std', stat(n.std)],
        ['Zeros', fmtCount(n.zeros)], ['Negatives', fmtCount(n.negatives)],
        ...(n.infinite ? [['Infinite', fmtCount(n.infinite)] as [string, string]] : []),
        ['Outliers', `${fmtCount(n.outliers.count)} (outside ${stat(n.outliers.lower)} … ${stat(n.outliers.upper)})`],
      ], 'num-figures'));
      const q = n.quantiles;
      const qt = el('table', 'quantiles');
      const hr = el('tr');
      const vr = el('tr');
      for (const [k, v] of [['p1', q.p1], ['p5', q.p5], ['p25', q.p25], ['p50', q.p50], ['p75', q.p75], ['p95', q.p95], ['p99', q.p99]] as const) {
        hr.appendChild(el('th', '', k));
        const td = el('td', '', compact(v));
        td.title = stat(v);
        vr.appendChild(td);
      }
      qt.append(hr, vr);
      qt.title = n.quantilesApprox ? 'Approximate quantiles' : 'Exact quantiles';
      card.appendChild(qt);
      if (n.histogram.counts.length) {
        const h = n.histogram;
        const labels = h.counts.map((cnt, i) => `${stat(h.edges[i])} – ${stat(h.edges[i + 1])}: ${fmtCount(cnt)}`);
        card.appendChild(chartBlock(barsSvg(h.counts, labels, { width: 280, height: 64, className: 'histogram', stretch: true }, `Histogram of ${c.name}`),
          stat(h.edges[0]), stat(h.edges[h.edges.length - 1])));
      }
    }
    if (c.date) {
      const d = c.date;
      card.appendChild(figureList([
        ['Range', `${d.min === null ? '—' : displayIso(d.min)} → ${d.max === null ? '—' : displayIso(d.max)}`],
        ['Period', d.period],
        ['Gaps', d.gaps.count ? `${fmtCount(d.gaps.count)} empty ${d.gaps.unit ?? d.period}s${d.gaps.largest ? `; longest ${displayIso(d.gaps.largest.from)} → ${displayIso(d.gaps.largest.to)}` : ''}` : 'none'],
      ], 'date-figures'));
      if (d.histogram.length) {
        card.appendChild(chartBlock(barsSvg(d.histogram.map(b => b.count), d.histogram.map(b => `${displayIso(b.start)}: ${fmtCount(b.count)}`), { width: 280, height: 64, className: 'histogram', stretch: true }, `Values of ${c.name} by ${d.period}`),
          displayIso(d.histogram[0].start), displayIso(d.histogram[d.histogram.length - 1].start)));
      }
    }
    if (c.string) {
      const st = c.string;
      card.appendChild(figureList([
        ['Length', `${fmtCount(st.minLength)} – ${fmtCount(st.maxLength)} (mean ${fmtStat(st.meanLength)})`],
        ['Empty', fmtCount(st.empty)],
        ['Whitespace only', fmtCount(st.whitespace)],
      ], 'str-figures'));
      if (c.top.length) { card.appendChild(valueBars('Top values', c.top, c.count, c.topApprox)); }
      if (st.patterns.length) { card.appendChild(valueBars('Patterns', st.patterns, c.count, st.patternsApprox ?? false, 'patterns')); }
    } else if (c.top.length && (!c.number && !c.date || c.distinct <= 10)) {
      // numbers and dates have their histogram; their top values only help when there are few
      card.appendChild(valueBars('Top values', c.top, c.count, c.topApprox));
    }
    if (c.invalid && c.invalidExamples?.length) {
      card.appendChild(figureList([['Not parsing as ' + c.inferredType, `${fmtCount(c.invalid)}: ${c.invalidExamples.join(', ')}`]], 'invalid-figures'));
    }
    return card;
  }
}

function scoreClass(score: number | null): string {
  if (score === null) { return 'na'; }
  return score >= 0.95 ? 'good' : score >= 0.8 ? 'fair' : 'poor';
}

function figureList(rows: [string, string][], className: string): HTMLDListElement {
  const dl = el('dl', `figures ${className}`);
  for (const [k, v] of rows) {
    const item = el('div', 'figure');
    item.append(el('dt', '', k), el('dd', '', v));
    dl.appendChild(item);
  }
  return dl;
}

function chartBlock(svg: SVGSVGElement, from: string, to: string): HTMLElement {
  const box = el('div', 'chart-block');
  const axis = el('div', 'chart-range');
  axis.append(el('span', '', from), el('span', '', to));
  box.append(svg, axis);
  return box;
}

function valueBars(title: string, values: readonly ValueCount[], total: number, approx: boolean, className = 'top-values'): HTMLElement {
  const box = el('div', `value-bars ${className}`);
  box.appendChild(el('h3', '', approx ? `${title} (approximate)` : title));
  if (className === 'top-values' && values.every(v => v.count <= 1)) {
    box.appendChild(el('p', 'vb-note', 'No value occurs more than once.'));
    return box;
  }
  const max = Math.max(1, ...values.map(v => v.count));
  for (const v of values.slice(0, 10)) {
    const row = el('div', 'vb-row');
    const label = el('span', 'vb-label', oneLine(v.value));
    label.title = v.value;
    const bar = el('span', 'vb-bar');
    const fill = el('span', 'vb-fill');
    fill.style.width = `${(v.count / max) * 100}%`;
    bar.appendChild(fill);
    row.append(label, bar, el('span', 'vb-count', `${fmtCount(v.count)} (${fmtPct(total ? v.count / total : 0)})`));
    box.appendChild(row);
  }
  return box;
}

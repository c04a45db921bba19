// The diff panel: progress while the diff runs (with cancel), then a summary header (+added −removed
// ~changed rows, column changes, drifted columns), the grid of changed rows with filters by change
// type, and the drift table. UI state (tab, filter, scroll) and the request persist across reloads.
import type { DiffDto, DiffHostMessage, DiffPanelState, DiffRequest } from '../../src/shared/diffProtocol';
import { clear, codicon, el } from '../preview/dom';
import { ChangesGrid, type ChangeFilter } from './changesGrid';
import { count } from './diffFormat';
import type { DiffHostClient } from './diffHostClient';
import { driftTable } from './driftTable';

const FILTERS: { filter: ChangeFilter; label: string; icon: string }[] = [
  { filter: 'all', label: 'All', icon: 'list-flat' },
  { filter: 'changed', label: 'Changed', icon: 'diff-modified' },
  { filter: 'added', label: 'Added', icon: 'diff-added' },
  { filter: 'removed', label: 'Removed', icon: 'diff-removed' },
];

export class DiffApp {
  private readonly root: HTMLElement;
  private readonly title: HTMLElement;
  private readonly status: HTMLElement;
  private readonly statusBar: HTMLElementTagNameMap['vscode-progress-bar'];
  private readonly statusLabel: HTMLElement;
  private readonly cancelButton: HTMLElementTagNameMap['vscode-button'];
  private readonly rerunButton: HTMLElementTagNameMap['vscode-button'];
  private readonly failure: HTMLElement;
  private readonly summary: HTMLElement;
  private readonly tabs: HTMLElementTagNameMap['vscode-tabs'];
  private readonly filterBar: HTMLElement;
  private readonly rowsNote: HTMLElement;
  private readonly driftPanel: HTMLElementTagNameMap['vscode-tab-panel'];
  private readonly grid: ChangesGrid;
  private state: DiffPanelState | null = null;
  private diff: DiffDto | null = null;
  private scrollTimer = 0;

  constructor(private readonly client: DiffHostClient, host: HTMLElement) {
    const saved = client.getState();
    this.root = el('div', 'diff-app');
    this.title = el('h1', 'diff-title', 'Comparing…');

    this.status = el('div', 'run-status');
    this.statusBar = document.createElement('vscode-progress-bar');
    this.statusBar.setAttribute('aria-label', 'Diff progress');
    this.statusLabel = el('span', 'run-label', 'Starting…');
    this.cancelButton = button('Cancel', 'close', true);
    this.cancelButton.classList.add('cancel');
    this.cancelButton.addEventListener('click', () => this.client.post({ type: 'cancel' }));
    this.status.append(this.statusBar, this.statusLabel, this.cancelButton);

    this.failure = el('div', 'failure');
    this.failure.hidden = true;
    this.failure.setAttribute('role', 'alert');
    this.rerunButton = button('Run again', 'refresh', false);
    this.rerunButton.classList.add('rerun');
    this.rerunButton.addEventListener('click', () => this.client.post({ type: 'rerun' }));

    this.summary = el('div', 'summary');
    this.summary.hidden = true;

    this.tabs = document.createElement('vscode-tabs');
    this.tabs.className = 'tabs';
    this.tabs.hidden = true;
    const rowsTab = document.createElement('vscode-tab-header');
    rowsTab.slot = 'header';
    rowsTab.className = 'tab-rows';
    rowsTab.textContent = 'Rows';
    const driftTab = document.createElement('vscode-tab-header');
    driftTab.slot = 'header';
    driftTab.className = 'tab-drift';
    driftTab.textContent = 'Drift';
    const rowsPanel = document.createElement('vscode-tab-panel');
    rowsPanel.className = 'panel-rows';
    this.driftPanel = document.createElement('vscode-tab-panel');
    this.driftPanel.className = 'panel-drift';
    this.tabs.append(rowsTab, driftTab, rowsPanel, this.driftPanel);
    this.tabs.addEventListener('vsc-tabs-select', e => {
      const tab = (e as CustomEvent<{ selectedIndex: number }>).detail.selectedIndex === 1 ? 'drift' : 'rows';
      this.save({ tab });
    });

    this.filterBar = el('div', 'filters');
    this.filterBar.setAttribute('role', 'toolbar');
    this.filterBar.setAttribute('aria-label', 'Show rows by change type');
    this.rowsNote = el('span', 'rows-note');
    this.grid = new ChangesGrid(top => {
      clearTimeout(this.scrollTimer);
      this.scrollTimer = window.setTimeout(() => this.save({ scrollTop: top }), 200);
    });
    const toolbar = el('div', 'rows-toolbar');
    toolbar.append(this.filterBar, this.rowsNote);
    rowsPanel.append(toolbar, this.grid.element);

    this.root.append(this.title, this.status, this.failure, this.summary, this.tabs);
    host.appendChild(this.root);
    if (saved.request) { this.state = saved as DiffPanelState; }
    client.onMessage(m => this.onMessage(m));
    client.post({ type: 'ready' });
  }

  private save(patch: Partial<DiffPanelState>): void {
    if (!this.state) { return; }
    this.state = { ...this.state, ...patch };
    this.client.setState(this.state);
  }

  private onMessage(m: DiffHostMessage): void {
    switch (m.type) {
      case 'init': this.onInit(m.title, m.request); break;
      case 'progress': this.showProgress(m.fraction, m.label); break;
      case 'result': this.showResult(m.diff); break;
      case 'error': this.showFailure('error', 'The diff failed', m.message); break;
      case 'cancelled': this.showFailure('circle-slash', 'Cancelled', 'The diff was stopped before it finished.'); break;
    }
  }

  private onInit(title: string, request: DiffRequest): void {
    this.title.textContent = title;
    document.title = title;
    const same = this.state && JSON.stringify(this.state.request) === JSON.stringify(request);
    this.state = same && this.state ? this.state : { request, tab: 'rows', filter: 'all', scrollTop: 0 };
    this.client.setState(this.state);
    this.showProgress(null, 'Starting…');
  }

  private showProgress(fraction: number | null, label: string): void {
    this.status.hidden = false;
    this.failure.hidden = true;
    if (fraction === null) { this.statusBar.indeterminate = true; } else { this.statusBar.indeterminate = false; this.statusBar.value = Math.round(fraction * 100); }
    this.statusLabel.textContent = label;
  }

  private showFailure(icon: string, title: string, message: string): void {
    this.status.hidden = true;
    clear(this.failure);
    const head = el('p', 'failure-title');
    head.append(codicon(icon), el('span', '', title));
    this.failure.append(head, el('p', 'failure-message', message), this.rerunButton);
    this.failure.hidden = false;
  }

  private showResult(diff: DiffDto): void {
    this.diff = diff;
    this.status.hidden = true;
    this.failure.hidden = true;
    this.renderSummary(diff);
    this.renderFilters(diff);
    clear(this.driftPanel);
    this.driftPanel.appendChild(driftTable(diff));
    this.tabs.hidden = false;
    this.summary.hidden = false;
    const filter = this.state?.filter ?? 'all';
    this.grid.setData(diff, filter);
    this.updateRowsNote(filter);
    if (this.state?.tab === 'drift') { this.tabs.selectedIndex = 1; }
    if (this.state?.scrollTop) { this.grid.scrollTop = this.state.scrollTop; }
  }

  private renderSummary(d: DiffDto): void {
    clear(this.summary);
    const chips = el('div', 'chips');
    const chip = (cls: string, icon: string, text: string, title: string): void => {
      const c = el('span', `chip ${cls}`);
      c.append(codicon(icon), el('span', '', text));
      c.title = title;
      chips.appendChild(c);
    };
    chip('added', 'diff-added', `+${count(d.rows.added)}`, 'rows added');
    chip('removed', 'diff-removed', `−${count(d.rows.removed)}`, 'rows removed');
    chip('changed', 'diff-modified', `~${count(d.rows.changed)}`, 'rows changed');
    chip('unchanged', 'check', `${count(d.rows.unchanged)} unchanged`, 'rows the same in both versions');
    if (d.identical) { chip('identical', 'pass', 'identical', 'same columns and rows'); }
    this.summary.appendChild(chips);

    const facts = el('dl', 'facts');
    const fact = (term: string, value: string, className = ''): void => {
      facts.append(el('dt', '', term), el('dd', className, value));
    };
    fact('Versions', `${side(d.a)}  →  ${side(d.b)}`);
    fact('Rows matched', d.key.columns ? `by ${d.key.columns.join(' + ')} — ${d.key.note}` : d.key.note);
    fact('Columns', schemaText(d), 'schema');
    const drifted = d.columns.filter(c => c.drift?.drifted).map(c => c.name);
    fact('Drifted', drifted.length ? drifted.join(', ') : 'none', drifted.length ? 'drifted-list' : '');
    if (d.epsilon > 0) { fact('Tolerance', `numbers within ${d.epsilon} are equal`); }
    this.summary.appendChild(facts);
    const notes = [...(d.duplicateKeys ? [duplicateText(d)] : []), ...d.warnings];
    for (const n of notes) {
      const w = el('p', 'warning');
      w.append(codicon('warning'), el('span', '', n));
      this.summary.appendChild(w);
    }
  }

  private renderFilters(d: DiffDto): void {
    clear(this.filterBar);
    const current = this.state?.filter ?? 'all';
    for (const f of FILTERS) {
      const total = f.filter === 'all' ? d.rows.added + d.rows.removed + d.rows.changed : d.rows[f.filter];
      const b = button(`${f.label} ${count(total)}`, f.icon, f.filter !== current);
      b.classList.add('filter', `filter-${f.filter}`);
      b.setAttribute('aria-pressed', String(f.filter === current));
      b.addEventListener('click', () => this.setFilter(f.filter));
      this.filterBar.appendChild(b);
    }
  }

  private setFilter(filter: ChangeFilter): void {
    if (!this.diff) { return; }
    this.save({ filter, scrollTop: 0 });
    for (const b of this.filterBar.querySelectorAll<HTMLElementTagNameMap['vscode-button']>('.filter')) {
      const on = b.classList.contains(`filter-${filter}`);
      b.secondary = !on;
      b.setAttribute('aria-pressed', String(on));
    }
    this.grid.setData(this.diff, filter);
    this.updateRowsNote(filter);
  }

  private updateRowsNote(filter: ChangeFilter): void {
    const d = this.diff;
    if (!d) { return; }
    const total = filter === 'all' ? d.rows.added + d.rows.removed + d.rows.changed : d.rows[filter];
    const shown = this.grid.rowCount;
    this.rowsNote.textContent = shown < total ? `showing the first ${count(shown)} of ${count(total)} rows` : '';
  }
}

function button(text: string, icon: string, secondary: boolean): HTMLElementTagNameMap['vscode-button'] {
  const b = document.createElement('vscode-button');
  b.textContent = text;
  b.icon = icon;
  b.secondary = secondary;
  return b;
}

function side(s: DiffDto['a']): string {
  if (!s.exists) { return `${s.label} (did not exist)`; }
  return `${s.label} (${count(s.rows)} rows × ${s.columns} columns)`;
}

function schemaText(d: DiffDto): string {
  const s = d.schema;
  const parts: string[] = [];
  if (s.added.length) { parts.push(`added ${s.added.join(', ')}`); }
  if (s.removed.length) { parts.push(`removed ${s.removed.join(', ')}`); }
  for (const r of s.renamed) { parts.push(`renamed ${r.from} → ${r.to}`); }
  if (s.reordered.length) { parts.push(`moved ${s.reordered.join(', ')}`); }
  for (const t of s.typeChanged) { parts.push(`${t.name}: ${t.from} → ${t.to}`); }
  for (const t of s.formatChanged) { parts.push(`${t.name}: format ${t.from} → ${t.to}`); }
  return parts.length ? parts.join('; ') : `unchanged (${s.columnsAfter} columns)`;
}

function duplicateText(d: DiffDto): string {
  const k = d.duplicateKeys as NonNullable<DiffDto['duplicateKeys']>;
  const ex = k.examples[0];
  const example = ex ? ` (e.g. ${ex.key.map(v => v ?? 'null').join(', ')} at rows ${ex.rows.map(r => r + 1).join(' and ')} of the ${ex.side === 'a' ? 'older' : 'newer'} version)` : '';
  return `The key repeats: ${count(k.a)} duplicates in the older version, ${count(k.b)} in the newer, ${count(k.missingA + k.missingB)} rows without a key${example}. Rows were matched by content.`;
}

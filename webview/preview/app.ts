// The preview application: handshake with the host, views (sort/filter), profile requests, copy, state and layout.
import type {
  ColumnFilter, ContextActionMessage, CopyFormat, DatasetProfileDto, FieldDto, GridContext, HostMessage, InitMessage,
  FileChangedMessage, RowCountDto, SortKey, ViewSpec,
} from '../../src/shared/protocol';
import { plainCell } from './cellText';
import { formatTable } from './clipboardText';
import { clear, codicon, el } from './dom';
import { FilterPopup } from './filterPopup';
import { Grid } from './grid';
import type { HostClient } from './hostClient';
import { ProfilePane } from './profilePane';
import { RowSource } from './rowSource';
import {
  columnRef, emptyUiState, isNaturalView, resolveColumn, restoreUiState, viewFromState, viewKey,
  type PaneName, type UiState,
} from './uiState';

/** The controls are defined this long after start at the latest (the loading state's progress ring is one). */
const CONTROLS_BY_MS = 300;

/** Copies above this many cells are refused rather than freezing the webview. */
export const MAX_COPY_CELLS = 500_000;

type ProgressBar = HTMLElementTagNameMap['vscode-progress-bar'];
type TextField = HTMLElementTagNameMap['vscode-textfield'];

interface PendingView { requestId: number; view: ViewSpec; restoreTop: number | null }
interface PendingProfile { requestId: number; full: boolean }

export class App {
  private readonly root: HTMLElement;
  private readonly source: RowSource;
  private readonly grid: Grid;
  private readonly profilePane: ProfilePane;
  /** Made when first opened: its dozen controls need not render before the first rows. */
  private filterPopupMade: FilterPopup | null = null;
  // layout
  private readonly loading: HTMLDivElement;
  private readonly main: HTMLDivElement;
  private readonly banner: HTMLDivElement;
  private readonly bannerText: HTMLSpanElement;
  private readonly tabs: HTMLElementTagNameMap['vscode-tabs'];
  private readonly search: TextField;
  private readonly gotoRow: TextField;
  private readonly chips: HTMLDivElement;
  private readonly task: HTMLDivElement;
  private readonly taskBar: ProgressBar;
  private readonly taskLabel: HTMLSpanElement;
  private readonly copyMenu: HTMLDivElement;
  private readonly detailPos: HTMLSpanElement;
  private readonly detailValue: HTMLDivElement;
  private readonly statusRows: HTMLSpanElement;
  private readonly statusFormat: HTMLSpanElement;
  private readonly statusView: HTMLSpanElement;
  private readonly statusSelection: HTMLSpanElement;
  private readonly statusWarnings: HTMLSpanElement;
  // document
  private init: InitMessage | null = null;
  private fields: FieldDto[] = [];
  private baseRows: RowCountDto = { value: 0, exact: true };
  // view: what the grid shows, and what the user asked for
  private view: ViewSpec = {};
  private viewRows = 0;
  private sort: SortKey[] = [];
  private filters = new Map<number, ColumnFilter>();
  private searchText = '';
  private pendingView: PendingView | null = null;
  // profile
  private profile: DatasetProfileDto | null = null;
  private pendingProfile: PendingProfile | null = null;
  /** The quick profile waits for the first rows (see onInit). */
  private profileAfterRows = false;
  private profileTimer = 0;
  private fullProfileWanted = false;
  // ui
  private pane: PaneName = 'data';
  private saved: UiState;
  private saveTimer = 0;
  private searchTimer = 0;
  private statusFlash = '';

  /** Defines the controls (once): after the first rows are drawn, or CONTROLS_BY_MS after start at the latest. */
  private readonly defineControls: () => void;

  constructor(private readonly client: HostClient, host: HTMLElement, loadControls: () => Promise<unknown> = () => Promise.resolve()) {
    let defined = false;
    this.defineControls = () => {
      if (defined) { return; }
      defined = true;
      window.clearTimeout(controlsTimer);
      loadControls().catch((e: unknown) => this.showBanner(e instanceof Error ? e.message : String(e)));
    };
    const controlsTimer = window.setTimeout(this.defineControls, CONTROLS_BY_MS);
    this.saved = restoreUiState(client.getState());
    this.source = new RowSource(client, () => {
      this.grid.schedule();
      // the focused cell's page may just have arrived: show its value instead of the loading mark
      if (this.detailValue.textContent === '…') { this.updateDetail(); }
    }, m => this.showBanner(m));
    this.grid = new Grid(this.source, {
      onHeaderClick: f => this.cycleSort(f),
      onFilterClick: (f, r) => this.openFilter(f, r),
      onRowClick: r => this.revealRow(r),
      onSelectionChange: () => { this.statusFlash = ''; this.updateDetail(); this.updateStatus(); this.saveSoon(); },
      onScroll: () => this.saveSoon(),
      onCopy: (format, withHeader) => void this.copy(format, withHeader),
      onColumnWidth: () => this.saveSoon(),
      contextFor: target => this.contextFor(target),
    });
    this.profilePane = new ProfilePane({
      onRun: () => this.requestProfile(true),
      onCancel: () => { if (this.pendingProfile) { this.cancel(this.pendingProfile.requestId); } },
      onExport: format => this.client.post({ type: 'exportProfile', format }),
      onColumn: field => { this.selectColumn(field); this.selectPane('data'); this.grid.focusCell({ row: this.grid.selection.focus.row, col: field }); this.grid.focus(); },
    });

    this.root = el('div', 'app');
    this.loading = el('div', 'loading-state');
    const ring = document.createElement('vscode-progress-ring');
    this.loading.append(ring, el('p', '', 'Opening dataset…'));
    this.main = el('div', 'main');
    this.main.hidden = true;

    this.banner = el('div', 'banner');
    this.banner.setAttribute('role', 'alert');
    this.banner.hidden = true;
    this.bannerText = el('span', 'banner-text');
    const closeBanner = el('button', 'banner-close');
    closeBanner.type = 'button';
    closeBanner.title = 'Dismiss';
    closeBanner.appendChild(codicon('close'));
    closeBanner.addEventListener('click', () => { this.banner.hidden = true; });
    this.banner.append(codicon('warning'), this.bannerText, closeBanner);

    this.tabs = document.createElement('vscode-tabs');
    this.tabs.className = 'tabs';
    const dataTab = document.createElement('vscode-tab-header');
    dataTab.slot = 'header';
    dataTab.classList.add('tab-data');
    dataTab.textContent = 'Data';
    const profileTab = document.createElement('vscode-tab-header');
    profileTab.slot = 'header';
    profileTab.classList.add('tab-profile');
    profileTab.textContent = 'Profile';
    const dataPanel = document.createElement('vscode-tab-panel');
    dataPanel.classList.add('panel-data');
    const profilePanel = document.createElement('vscode-tab-panel');
    profilePanel.classList.add('panel-profile');
    this.tabs.append(dataTab, profileTab, dataPanel, profilePanel);
    this.tabs.addEventListener('vsc-tabs-select', e => this.onPaneSelected((e as CustomEvent<{ selectedIndex: number }>).detail.selectedIndex === 1 ? 'profile' : 'data'));

    // data toolbar
    const toolbar = el('div', 'toolbar');
    this.search = document.createElement('vscode-textfield');
    this.search.className = 'search';
    this.search.placeholder = 'Search all columns';
    this.search.setAttribute('aria-label', 'Search all columns');
    const searchIcon = document.createElement('vscode-icon');
    searchIcon.setAttribute('name', 'search');
    searchIcon.slot = 'content-before';
    this.search.appendChild(searchIcon);
    this.search.addEventListener('input', () => { clearTimeout(this.searchTimer); this.searchTimer = window.setTimeout(() => this.applySearch(), 400); });
    this.search.addEventListener('keydown', e => { if (e.key === 'Enter') { clearTimeout(this.searchTimer); this.applySearch(); } });
    this.chips = el('div', 'chips');
    this.task = el('div', 'task');
    this.task.hidden = true;
    this.taskBar = document.createElement('vscode-progress-bar');
    this.taskBar.setAttribute('aria-label', 'Progress');
    this.taskLabel = el('span', 'task-label');
    const cancelTask = document.createElement('vscode-button');
    cancelTask.secondary = true;
    cancelTask.icon = 'close';
    cancelTask.className = 'task-cancel';
    cancelTask.textContent = 'Cancel';
    cancelTask.addEventListener('click', () => { if (this.pendingView) { this.cancel(this.pendingView.requestId); } });
    this.task.append(this.taskBar, this.taskLabel, cancelTask);
    const spacer = el('div', 'spacer');
    this.gotoRow = document.createElement('vscode-textfield');
    this.gotoRow.className = 'goto-row';
    this.gotoRow.placeholder = 'Go to row';
    this.gotoRow.setAttribute('aria-label', 'Go to row');
    this.gotoRow.addEventListener('keydown', e => { if (e.key === 'Enter') { e.preventDefault(); this.goToRow(); } });
    const copyBox = el('div', 'copy-box');
    const copyButton = document.createElement('vscode-button');
    copyButton.secondary = true;
    copyButton.icon = 'copy';
    copyButton.iconAfter = 'chevron-down';
    copyButton.className = 'copy-button';
    copyButton.textContent = 'Copy';
    copyButton.title = 'Copy the selection (Ctrl+C copies as TSV)';
    this.copyMenu = el('div', 'copy-menu');
    this.copyMenu.hidden = true;
    this.copyMenu.setAttribute('role', 'menu');
    for (const [format, label] of [['tsv', 'Copy as TSV'], ['csv', 'Copy as CSV'], ['markdown', 'Copy as Markdown']] as const) {
      const item = el('button', `copy-item copy-${format}`, label);
      item.type = 'button';
      item.setAttribute('role', 'menuitem');
      item.addEventListener('click', () => { this.copyMenu.hidden = true; void this.copy(format, true); });
      this.copyMenu.appendChild(item);
    }
    copyButton.addEventListener('click', () => { this.copyMenu.hidden = !this.copyMenu.hidden; });
    document.addEventListener('mousedown', e => {
      if (!this.copyMenu.hidden && e.target instanceof Node && !copyBox.contains(e.target)) { this.copyMenu.hidden = true; }
    });
    copyBox.append(copyButton, this.copyMenu);
    toolbar.append(this.search, this.chips, this.task, spacer, this.gotoRow, copyBox);

    const detail = el('div', 'detail');
    this.detailPos = el('span', 'detail-pos');
    this.detailValue = el('div', 'detail-value');
    detail.append(this.detailPos, this.detailValue);
    dataPanel.append(toolbar, this.grid.element, detail);
    profilePanel.appendChild(this.profilePane.element);

    const status = el('div', 'statusbar');
    this.statusRows = el('span', 'status-rows');
    this.statusView = el('span', 'status-view');
    this.statusFormat = el('span', 'status-format');
    this.statusSelection = el('span', 'status-selection');
    this.statusWarnings = el('span', 'status-warnings');
    this.statusWarnings.hidden = true;
    status.append(this.statusRows, this.statusView, this.statusFormat, this.statusWarnings, el('span', 'spacer'), this.statusSelection);

    this.main.append(this.banner, this.tabs, status);
    this.root.append(this.loading, this.main);
    host.appendChild(this.root);

    client.onMessage(m => this.onMessage(m));
    client.post({ type: 'ready' });
  }

  private get filterPopup(): FilterPopup {
    if (!this.filterPopupMade) {
      this.filterPopupMade = new FilterPopup();
      this.root.appendChild(this.filterPopupMade.element);
    }
    return this.filterPopupMade;
  }

  // ---- messages -------------------------------------------------------------------------

  private onMessage(m: HostMessage): void {
    switch (m.type) {
      case 'init':
        if (!this.init) { performance.mark('strata/init'); } // (for the editor bench: see main.ts)
        // the host posts its first init unasked and again when asked: a repeat of the version shown changes nothing
        if (this.init?.fileVersion === m.fileVersion) { break; }
        this.open(m, this.init ? this.currentUiState() : this.saved);
        break;
      case 'fileChanged': this.open(m, this.currentUiState()); break;
      case 'rowCount':
        if (this.init && m.fileVersion === this.init.fileVersion) {
          this.baseRows = m.rowCount;
          if (isNaturalView(this.view)) { this.setViewRows(m.rowCount.value); }
          this.updateStatus();
        }
        break;
      case 'rows': this.source.handleRows(m); this.profileAfterFirstRows(); break;
      case 'viewReady': if (this.pendingView?.requestId === m.requestId) { this.viewApplied(this.pendingView, m.rowCount); } break;
      case 'progress':
        if (this.pendingView?.requestId === m.requestId) { this.showTask(m.fraction, m.label); }
        else if (this.pendingProfile?.requestId === m.requestId) { this.profilePane.setProgress(m.fraction, m.label); }
        break;
      case 'profile': this.onProfile(m.requestId, m.profile); break;
      case 'cancelled': this.ended(m.requestId); break;
      case 'error':
        if (m.requestId === undefined) {
          if (!this.init) { this.showFatal(m.message); } else { this.showBanner(m.message); }
        } else {
          this.ended(m.requestId, m.message);
        }
        break;
      case 'highlightRow': this.highlight(m.row); break;
      case 'contextAction': this.onContextAction(m); break;
    }
  }

  /** A request ended without its answer: cancelled, or failed with `error`. */
  private ended(requestId: number, error?: string): void {
    if (this.source.owns(requestId)) { this.source.handleEnd(requestId, error); return; }
    if (this.pendingView?.requestId === requestId) {
      this.pendingView = null;
      this.hideTask();
      // back to what the grid still shows
      this.setControlsFromView(this.view);
      if (error !== undefined) { this.showBanner(`Sort/filter failed: ${error}`); }
      if (this.grid.rowCount === 0 && this.viewRows > 0) { this.setViewRows(this.viewRows); }
      return;
    }
    if (this.pendingProfile?.requestId === requestId) {
      this.pendingProfile = null;
      if (error !== undefined) { this.profilePane.setError(error); } else { this.profilePane.setCancelled(); }
      this.fullProfileWanted = false;
    }
  }

  private open(m: InitMessage | FileChangedMessage, state: UiState): void {
    const first = this.init === null;
    this.init = { ...m, type: 'init' };
    this.fields = m.fields;
    this.baseRows = m.rowCount;
    this.loading.hidden = true;
    this.main.hidden = false;
    if (this.pendingView) { this.client.post({ type: 'cancel', requestId: this.pendingView.requestId }); this.pendingView = null; this.hideTask(); }
    if (this.pendingProfile) { this.client.post({ type: 'cancel', requestId: this.pendingProfile.requestId }); this.pendingProfile = null; }

    this.grid.setFields(this.fields, state.widths);
    this.profilePane.setFields(this.fields);
    this.selectedColumnFromState(state);
    // sort and filters, re-resolved by column name against the (possibly changed) columns
    const wanted = viewFromState(state, this.fields);
    this.setControlsFromView(wanted);
    this.view = {};
    this.viewRows = this.baseRows.value;
    this.source.reset({ fileVersion: m.fileVersion, fieldCount: this.fields.length, view: {}, rowCount: this.viewRows });
    const seeded = m.firstRows !== undefined && this.source.seed(m.firstRows);
    const focusCol = state.focus ? resolveColumn(state.focus.column, this.fields) : null;
    if (state.focus && focusCol !== null) { this.grid.selection.set({ row: state.focus.row, col: focusCol }, false); }
    if (isNaturalView(wanted)) {
      this.setViewRows(this.viewRows);
      this.grid.scrollToRow(state.topRow, 'top');
    } else {
      this.grid.setRowCount(0);
      this.grid.setEmptyText('Applying sort and filter…');
      this.requestView(wanted, state.topRow);
    }
    this.grid.setScrollLeft(state.scrollLeft);
    this.updateWarnings(m.warnings ?? []);
    this.updateStatus();
    this.updateDetail();

    this.profile = null;
    this.grid.setProfile(null);
    this.profilePane.reset();
    if (first) { this.fullProfileWanted = state.pane === 'profile'; }
    // the quick profile (a sample pass) shares the reading thread with the first rows: on the data pane
    // it waits for them, so that they come first (or for a second, when no rows are asked for)
    window.clearTimeout(this.profileTimer);
    this.profileAfterRows = false;
    if (this.fullProfileWanted) {
      this.requestProfile(true);
    } else {
      this.profileAfterRows = true;
      if (seeded) {
        // rows that came with init are painted in the next frame, whose render asks for the pages around them
        // first; the profile request follows those
        requestAnimationFrame(() => { this.profileTimer = window.setTimeout(() => this.profileAfterFirstRows(), 0); });
      } else {
        this.profileTimer = window.setTimeout(() => this.profileAfterFirstRows(), 1000);
      }
    }
    if (first) { this.selectPane(state.pane); }
    this.saveSoon();
    // rows that came with init are drawn now rather than in the next animation frame: they are painted in the frame
    // that follows this message
    if (seeded) {
      this.grid.render();
      if (first) { performance.mark('strata/drawn'); }
    }
    if (seeded && isNaturalView(wanted) && state.pane === 'data') {
      // after the frame that draws the rows and the one after it: the rows are on screen before the controls'
      // first render takes the thread
      requestAnimationFrame(() => requestAnimationFrame(() => window.setTimeout(this.defineControls, 0)));
    } else {
      this.defineControls();
    }
  }

  // ---- views ----------------------------------------------------------------------------

  private wantedView(): ViewSpec {
    const view: ViewSpec = {};
    if (this.sort.length) { view.sort = this.sort; }
    const columns = [...this.filters.values()];
    if (columns.length || this.searchText) { view.filter = { columns, ...(this.searchText ? { search: this.searchText } : {}) }; }
    return view;
  }

  private setControlsFromView(v: ViewSpec): void {
    this.sort = v.sort ? [...v.sort] : [];
    this.filters = new Map((v.filter?.columns ?? []).map(f => [f.field, f]));
    this.searchText = v.filter?.search ?? '';
    if (this.search.value !== this.searchText) { this.search.value = this.searchText; }
    this.grid.setSort(this.sort);
    this.grid.setFiltered(this.filters.keys());
    this.renderChips();
  }

  /** The user changed sort, filters or search. */
  private viewChanged(): void {
    const wanted = this.wantedView();
    this.grid.setSort(this.sort);
    this.grid.setFiltered(this.filters.keys());
    this.renderChips();
    if (this.pendingView) { this.cancel(this.pendingView.requestId, false); this.pendingView = null; }
    if (viewKey(wanted) === viewKey(this.view)) { this.hideTask(); this.saveSoon(); return; }
    const sameFilter = JSON.stringify(wanted.filter ?? null) === JSON.stringify(this.view.filter ?? null);
    this.requestView(wanted, sameFilter ? this.grid.topRow : 0);
  }

  private requestView(view: ViewSpec, restoreTop: number | null): void {
    if (!this.init) { return; }
    if (isNaturalView(view)) {
      this.hideTask();
      this.viewApplied({ requestId: -1, view, restoreTop }, this.baseRows.value);
      return;
    }
    const requestId = this.client.newRequestId();
    this.pendingView = { requestId, view, restoreTop };
    this.showTask(null, view.filter ? 'Filtering…' : 'Sorting…');
    this.client.post({ type: 'view', requestId, fileVersion: this.init.fileVersion, view });
  }

  private viewApplied(p: PendingView, rowCount: number): void {
    this.pendingView = null;
    this.hideTask();
    this.view = p.view;
    this.source.reset({ fileVersion: this.init?.fileVersion ?? 0, fieldCount: this.fields.length, view: p.view, rowCount });
    this.grid.setEmptyText(isNaturalView(p.view) ? 'No rows.' : 'No rows match the filter.');
    this.setViewRows(rowCount);
    this.grid.scrollToRow(p.restoreTop ?? 0, 'top');
    this.updateStatus();
    // the focused cell now holds another row's value (shown once its page arrives)
    this.updateDetail();
    this.saveSoon();
  }

  private setViewRows(rows: number): void {
    this.viewRows = rows;
    this.source.setRowCount(rows);
    this.grid.setRowCount(rows);
  }

  private cycleSort(field: number): void {
    this.selectColumn(field);
    const current = this.sort[0]?.field === field ? this.sort[0].direction : null;
    this.sort = current === null ? [{ field, direction: 'asc' }] : current === 'asc' ? [{ field, direction: 'desc' }] : [];
    this.viewChanged();
  }

  private openFilter(field: number, anchor: DOMRect): void {
    this.filterPopup.open(field, this.fields[field], this.filters.get(field), anchor, f => {
      if (f) { this.filters.set(field, f); } else { this.filters.delete(field); }
      this.viewChanged();
      this.grid.focus();
    });
  }

  private applySearch(): void {
    const text = this.search.value.trim();
    if (text === this.searchText) { return; }
    this.searchText = text;
    this.viewChanged();
  }

  private renderChips(): void {
    clear(this.chips);
    for (const f of this.filters.values()) {
      const chip = el('span', 'chip');
      chip.dataset.field = String(f.field);
      chip.append(codicon('filter'), el('span', 'chip-text', describeFilter(f, this.fields[f.field]?.name ?? `#${f.field}`)));
      const remove = el('button', 'chip-remove');
      remove.type = 'button';
      remove.title = 'Remove filter';
      remove.appendChild(codicon('close'));
      remove.addEventListener('click', () => { this.filters.delete(f.field); this.viewChanged(); });
      chip.appendChild(remove);
      this.chips.appendChild(chip);
    }
  }

  private showTask(fraction: number | null, label: string): void {
    this.task.hidden = false;
    if (fraction === null) { this.taskBar.indeterminate = true; this.taskBar.value = undefined; }
    else { this.taskBar.indeterminate = false; this.taskBar.max = 1; this.taskBar.value = fraction; }
    this.taskLabel.textContent = fraction === null ? label : `${label} ${Math.round(fraction * 100)}%`;
  }

  private hideTask(): void { this.task.hidden = true; }

  private cancel(requestId: number, wait = true): void {
    this.client.post({ type: 'cancel', requestId });
    if (!wait) { return; }
    // The host confirms with `cancelled`; the UI reverts then.
    this.taskLabel.textContent = 'Cancelling…';
  }

  // ---- profile --------------------------------------------------------------------------

  private profileAfterFirstRows(): void {
    window.clearTimeout(this.profileTimer);
    if (!this.profileAfterRows) { return; }
    this.profileAfterRows = false;
    this.requestProfile(this.fullProfileWanted);
  }

  private requestProfile(full: boolean): void {
    if (!this.init) { return; }
    this.profileAfterRows = false;
    window.clearTimeout(this.profileTimer);
    if (this.pendingProfile && (this.pendingProfile.full || !full)) { return; }
    if (this.pendingProfile) { this.client.post({ type: 'cancel', requestId: this.pendingProfile.requestId }); }
    if (full) { this.fullProfileWanted = true; }
    const requestId = this.client.newRequestId();
    this.pendingProfile = { requestId, full };
    this.profilePane.setRunning(true);
    this.client.post({ type: 'profile', requestId, fileVersion: this.init.fileVersion, full });
  }

  private onProfile(requestId: number, p: DatasetProfileDto): void {
    const pending = this.pendingProfile;
    if (pending?.requestId !== requestId) { return; }
    const done = !p.sample || !pending.full;
    if (done) { this.pendingProfile = null; }
    this.profile = p;
    this.grid.setProfile(p);
    this.profilePane.setProfile(p, !done);
    this.profilePane.setSelected(this.grid.selectedColumnIndex, this.pane === 'profile');
  }

  // ---- panes, selection, detail -----------------------------------------------------------

  private selectPane(pane: PaneName): void {
    this.tabs.selectedIndex = pane === 'profile' ? 1 : 0;
    this.onPaneSelected(pane);
  }

  private onPaneSelected(pane: PaneName): void {
    this.pane = pane;
    this.root.dataset.pane = pane;
    this.profilePane.setVisible(pane === 'profile');
    if (pane === 'profile') {
      if (!this.profile || this.profile.sample) { this.requestProfile(true); }
      this.profilePane.setSelected(this.grid.selectedColumnIndex, true);
    } else {
      this.grid.schedule();
    }
    this.saveSoon();
  }

  private selectColumn(field: number | null): void {
    this.grid.setSelectedColumn(field);
    this.profilePane.setSelected(field, false);
    this.saveSoon();
  }

  private selectedColumnFromState(s: UiState): void {
    const field = s.selectedColumn ? resolveColumn(s.selectedColumn, this.fields) : null;
    this.grid.setSelectedColumn(field);
  }

  private goToRow(): void {
    const n = Number(this.gotoRow.value.replace(/[\s,._']/g, ''));
    if (!Number.isInteger(n) || n < 1) { this.flash('Enter a row number.'); return; }
    const row = Math.min(n, this.viewRows) - 1;
    this.grid.focusCell({ row, col: this.grid.selection.focus.col }, 'top');
    this.grid.focus();
  }

  private revealRow(row: number): void {
    if (!this.init?.canRevealRows) { return; }
    const src = this.source.sourceRow(row);
    if (src !== undefined) { this.client.post({ type: 'revealRow', row: src }); }
  }

  private highlight(sourceRow: number): void {
    this.grid.highlightSourceRow(sourceRow);
    if (isNaturalView(this.view) && sourceRow < this.viewRows) {
      const { first, last } = this.grid.visibleRange();
      if (sourceRow < first || sourceRow > last) { this.grid.scrollToRow(sourceRow, 'center'); }
    }
  }

  private updateDetail(): void {
    const { row, col } = this.grid.selection.focus;
    const f = this.fields[col];
    clear(this.detailValue);
    if (!f || this.viewRows === 0) { this.detailPos.textContent = ''; return; }
    const src = this.source.sourceRow(row);
    this.detailPos.textContent = `Row ${(src ?? row) + 1} · ${f.name}`;
    const v = this.source.cell(row, col);
    if (v === undefined) { this.detailValue.textContent = '…'; this.detailValue.className = 'detail-value'; return; }
    if (v === null) { this.detailValue.textContent = 'missing (null)'; this.detailValue.className = 'detail-value k-missing'; return; }
    if (v === '') { this.detailValue.textContent = 'empty string'; this.detailValue.className = 'detail-value k-empty'; return; }
    let text = plainCell(v, f);
    if (f.type === 'json') { try { text = JSON.stringify(JSON.parse(text), null, 2); } catch { /* shown as is */ } }
    this.detailValue.textContent = text.length > 20_000 ? text.slice(0, 20_000) + '…' : text;
    this.detailValue.className = 'detail-value';
  }

  private updateWarnings(warnings: string[]): void {
    this.statusWarnings.hidden = warnings.length === 0;
    clear(this.statusWarnings);
    if (warnings.length) {
      this.statusWarnings.append(codicon('warning'), el('span', '', `${warnings.length} warning${warnings.length > 1 ? 's' : ''}`));
      this.statusWarnings.title = warnings.join('\n');
    }
  }

  private updateStatus(): void {
    if (!this.init) { return; }
    const total = this.baseRows;
    const rows = `${total.exact ? '' : '≈ '}${total.value.toLocaleString()} rows × ${this.fields.length.toLocaleString()} columns`;
    this.statusRows.textContent = rows;
    this.statusRows.title = total.exact ? 'Exact row count' : 'Estimated row count (the row index is still being built)';
    const reading = this.init.reading;
    this.statusFormat.textContent = `${this.init.format.toUpperCase()}${reading?.hint ?? ''} · ${total.exact ? 'exact' : 'estimated'}${this.init.schemaSource ? ' · schema' : ''}`;
    this.statusFormat.title = [this.init.title, ...(reading ? [reading.line] : []), ...(this.init.schemaSource ? [`Schema: ${this.init.schemaSource}`] : [])].join('\n');
    const filtered = this.view.filter && (this.view.filter.columns.length || this.view.filter.search);
    const parts: string[] = [];
    if (filtered) { parts.push(`${this.viewRows.toLocaleString()} of ${total.value.toLocaleString()} rows match`); }
    if (this.view.sort?.length) {
      parts.push(`sorted by ${this.view.sort.map(k => `${this.fields[k.field]?.name ?? '?'} ${k.direction === 'asc' ? '↑' : '↓'}`).join(', ')}`);
    }
    this.statusView.textContent = parts.join(' · ');
    this.statusView.hidden = parts.length === 0;
    const sel = this.grid.selection;
    const r = sel.range(this.fields.length);
    const selText = this.viewRows === 0 ? '' : sel.isSingleCell()
      ? `Row ${(sel.focus.row + 1).toLocaleString()}, column ${sel.focus.col + 1}`
      : `${(r.r1 - r.r0 + 1).toLocaleString()} × ${(r.c1 - r.c0 + 1).toLocaleString()} selected`;
    this.statusSelection.textContent = this.statusFlash || selText;
  }

  private flash(text: string): void {
    this.statusFlash = text;
    this.updateStatus();
    window.setTimeout(() => { if (this.statusFlash === text) { this.statusFlash = ''; this.updateStatus(); } }, 3000);
  }

  private showBanner(message: string): void {
    this.bannerText.textContent = message;
    this.banner.hidden = false;
  }

  private showFatal(message: string): void {
    this.defineControls();
    clear(this.loading);
    this.loading.classList.add('error-state');
    this.loading.append(codicon('error'), el('p', 'fatal-title', 'This dataset cannot be shown.'), el('p', 'fatal-message', message));
  }

  // ---- copy -----------------------------------------------------------------------------

  // ---- context menu (VS Code's, from package.json's webview/context) --------------------------

  private contextFor(target: { field: number; row?: number } | null): GridContext {
    if (!target || !this.fields[target.field]) { return { webviewSection: 'grid', preventDefaultContextMenuItems: true }; }
    const base = { preventDefaultContextMenuItems: true as const, field: target.field, strataColumnSorted: this.sort.some(k => k.field === target.field) };
    return target.row === undefined
      ? { ...base, webviewSection: 'column' }
      : { ...base, webviewSection: 'cell', row: target.row, strataCanRevealRows: this.init?.canRevealRows === true };
  }

  private onContextAction(m: ContextActionMessage): void {
    const f = this.fields[m.field];
    if (!f || !this.init) { return; }
    switch (m.action) {
      case 'sortAsc':
      case 'sortDesc':
        this.selectColumn(m.field);
        this.sort = [{ field: m.field, direction: m.action === 'sortAsc' ? 'asc' : 'desc' }];
        this.viewChanged();
        break;
      case 'clearSort':
        this.sort = this.sort.filter(k => k.field !== m.field);
        this.viewChanged();
        break;
      case 'filter': {
        const anchor = this.grid.headerRect(m.field);
        if (anchor) { this.openFilter(m.field, anchor); }
        break;
      }
      case 'filterValue': {
        if (m.row === undefined) { break; }
        const v = this.source.cell(m.row, m.field);
        if (v === undefined) { this.flash('That row is still loading; try again.'); break; }
        this.filters.set(m.field, v === null ? { field: m.field, op: 'missing' } : { field: m.field, op: 'equals', value: plainCell(v, f) });
        this.viewChanged();
        break;
      }
      case 'copy': void this.copy('tsv', false); break;
      case 'copyCsv': void this.copy('csv', true); break;
      case 'copyMarkdown': void this.copy('markdown', true); break;
      case 'copyColumnName':
        void this.writeClipboard(f.name, 'tsv').then(() => this.flash(`Copied the column name ${f.name}`));
        break;
      case 'revealRow':
        if (m.row !== undefined) { this.revealRow(m.row); }
        break;
      case 'profileColumn':
        // the Profile tab shows the selected column's card
        this.selectColumn(m.field);
        this.selectPane('profile');
        break;
    }
  }

  /** Puts text on the clipboard: the webview's clipboard API, or the host's when that refuses (no focus, permissions). */
  private async writeClipboard(text: string, format: CopyFormat): Promise<void> {
    try {
      await navigator.clipboard.writeText(text);
    } catch {
      this.client.post({ type: 'copy', text, format });
    }
  }

  private async copy(format: CopyFormat, withHeader: boolean): Promise<void> {
    if (this.viewRows === 0 || this.fields.length === 0) { return; }
    const r = this.grid.selection.range(this.fields.length);
    const cells = (r.r1 - r.r0 + 1) * (r.c1 - r.c0 + 1);
    if (cells > MAX_COPY_CELLS) {
      this.showBanner(`The selection has ${cells.toLocaleString()} cells; copying is limited to ${MAX_COPY_CELLS.toLocaleString()}. Select fewer rows or columns.`);
      return;
    }
    const fields: number[] = [];
    for (let c = r.c0; c <= r.c1; c++) { fields.push(c); }
    this.flash('Copying…');
    let text: string;
    try {
      const values = await this.source.read(r.r0, r.r1 + 1, fields);
      const rows = values.map(row => row.map((v, i) => plainCell(v, this.fields[fields[i]])));
      const header = withHeader || format !== 'tsv' ? fields.map(f => this.fields[f].name) : null;
      text = formatTable(header, rows, format);
    } catch (e) {
      this.showBanner(`Copy failed: ${e instanceof Error ? e.message : String(e)}`);
      return;
    }
    await this.writeClipboard(text, format);
    const rowsCopied = r.r1 - r.r0 + 1;
    this.flash(`Copied ${rowsCopied.toLocaleString()} row${rowsCopied === 1 ? '' : 's'} as ${format.toUpperCase()}`);
  }

  // ---- state ----------------------------------------------------------------------------

  private currentUiState(): UiState {
    const s = emptyUiState();
    s.topRow = this.pendingView?.restoreTop ?? this.grid.topRow;
    s.scrollLeft = this.grid.scrollLeft;
    // the wanted view, so that a pending sort survives a reload
    const view = this.pendingView?.view ?? this.view;
    s.sort = (view.sort ?? []).map(k => ({ ...columnRef(k.field, this.fields), direction: k.direction }));
    s.filters = (view.filter?.columns ?? []).map(f => {
      const { field, ...filter } = f;
      return { ...columnRef(field, this.fields), filter };
    });
    s.search = view.filter?.search ?? '';
    const sc = this.grid.selectedColumnIndex;
    s.selectedColumn = sc === null ? null : columnRef(sc, this.fields);
    const focus = this.grid.selection.focus;
    s.focus = this.fields.length ? { row: focus.row, column: columnRef(focus.col, this.fields) } : null;
    s.pane = this.pane;
    s.widths = this.grid.columnWidths();
    return s;
  }

  private saveSoon(): void {
    if (!this.init || this.saveTimer) { return; }
    this.saveTimer = window.setTimeout(() => {
      this.saveTimer = 0;
      this.saved = this.currentUiState();
      this.client.setState(this.saved);
    }, 150);
    this.updateStatus();
  }
}

function describeFilter(f: ColumnFilter, name: string): string {
  switch (f.op) {
    case 'equals': return `${name} = ${f.value}`;
    case 'contains': return `${name} contains “${f.value}”`;
    case 'range': return f.min !== undefined && f.max !== undefined ? `${f.min} ≤ ${name} ≤ ${f.max}` : f.min !== undefined ? `${name} ≥ ${f.min}` : `${name} ≤ ${f.max}`;
    case 'missing': return `${name} is missing`;
    case 'present': return `${name} is not missing`;
  }
}

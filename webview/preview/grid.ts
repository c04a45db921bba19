// The virtual data grid: only visible rows and columns are in the DOM, a scaled scrollbar, header, selection and keys.
import type { ColumnProfileDto, CopyFormat, DatasetProfileDto, FieldDto, GridContext, SortKey } from '../../src/shared/protocol';
import { barsSvg, topValuesSvg } from './charts';
import { displayCell, isNumericType, numberFormatText, temporalFormatText, typeIcon } from './cellText';
import { clear, codicon, el } from './dom';
import type { RowSource } from './rowSource';
import { ScrollModel } from './scrollModel';
import { moveByKey, Selection, type CellPos } from './selection';

export const ROW_HEIGHT = 24;
export const HEADER_HEIGHT = 50;
const MIN_COLUMN_WIDTH = 48;
const CHART_HEIGHT = 14;

export interface GridEvents {
  /** A click on a column header: cycle its sort and make it the selected column. */
  onHeaderClick(field: number): void;
  onFilterClick(field: number, anchor: DOMRect): void;
  /** A click on a row (view position). */
  onRowClick(row: number): void;
  onSelectionChange(): void;
  onScroll(): void;
  onCopy(format: CopyFormat, withHeader: boolean): void;
  onColumnWidth(field: number, width: number): void;
  /** The grid's context-menu context for a header (`row` absent), a cell, or neither (null). */
  contextFor(target: { field: number; row?: number } | null): GridContext;
}

interface RowEl { row: HTMLDivElement; num: HTMLDivElement; cells: HTMLDivElement[]; texts: string[]; classes: string[] }
interface HeaderEl { cell: HTMLDivElement; field: number; version: number }

type Hit =
  | { area: 'body'; row: number; col: number }
  | { area: 'rownum'; row: number }
  | { area: 'header'; col: number; target: 'filter' | 'resize' | 'title' }
  | { area: 'corner' }
  | { area: 'none' };

function defaultWidth(f: FieldDto): number {
  const byType: Record<FieldDto['type'], number> = {
    integer: 110, number: 120, boolean: 80, date: 110, datetime: 180, time: 100, string: 170, binary: 140, json: 220,
  };
  return Math.max(byType[f.type], Math.min(300, 58 + f.name.length * 7.5));
}

export class Grid {
  readonly element: HTMLDivElement;
  readonly selection = new Selection();
  private readonly scroller: HTMLDivElement;
  private readonly spacer: HTMLDivElement;
  private readonly canvas: HTMLDivElement;
  private readonly headerLayer: HTMLDivElement;
  private readonly corner: HTMLDivElement;
  private readonly numLayer: HTMLDivElement;
  private readonly body: HTMLDivElement;
  private readonly message: HTMLDivElement;
  private readonly scroll = new ScrollModel(ROW_HEIGHT);
  private fields: FieldDto[] = [];
  private widths: number[] = [];
  private xs: number[] = [0];
  private left = 0;
  private numWidth = 60;
  private clientW = 0;
  private clientH = 0;
  private expectTop = -1;
  private expectLeft = -1;
  private rowPool: RowEl[] = [];
  private headerPool: HeaderEl[] = [];
  private headerVersion = 0;
  private sortKeys: SortKey[] = [];
  private filtered = new Set<number>();
  private selectedColumn: number | null = null;
  private highlightSource: number | null = null;
  private profiles = new Map<number, ColumnProfileDto>();
  private profileIsSample = false;
  private emptyText = '';
  private frame = 0;
  private drag: { kind: 'cells' | 'rows'; moved: boolean; startRow: number } | null = null;
  private resize: { field: number; startX: number; startWidth: number } | null = null;

  constructor(private readonly source: RowSource, private readonly events: GridEvents) {
    this.element = el('div', 'grid');
    this.scroller = el('div', 'grid-scroller');
    this.spacer = el('div', 'grid-spacer');
    this.scroller.appendChild(this.spacer);
    this.canvas = el('div', 'grid-canvas');
    this.canvas.tabIndex = 0;
    this.canvas.setAttribute('role', 'grid');
    this.canvas.setAttribute('aria-label', 'Data');
    this.headerLayer = el('div', 'grid-header');
    this.corner = el('div', 'grid-corner');
    this.corner.title = 'Select all';
    this.numLayer = el('div', 'grid-rownums');
    this.body = el('div', 'grid-body');
    this.message = el('div', 'grid-message');
    this.message.hidden = true;
    this.canvas.append(this.body, this.numLayer, this.headerLayer, this.corner, this.message);
    this.element.append(this.scroller, this.canvas);

    this.scroller.addEventListener('scroll', () => this.onNativeScroll());
    this.canvas.addEventListener('wheel', e => this.onWheel(e), { passive: false });
    this.canvas.addEventListener('mousedown', e => this.onMouseDown(e));
    this.canvas.addEventListener('keydown', e => this.onKeyDown(e));
    this.canvas.addEventListener('contextmenu', e => this.onContextMenu(e));
    window.addEventListener('mousemove', e => this.onMouseMove(e));
    window.addEventListener('mouseup', e => this.onMouseUp(e));
    const resized = new ResizeObserver(() => this.schedule());
    resized.observe(this.element);
    // the scroller's client box also shrinks when a scrollbar appears, without the element resizing
    resized.observe(this.scroller);
  }

  // ---- configuration ---------------------------------------------------------------------

  setFields(fields: FieldDto[], widths: Record<string, number>): void {
    this.fields = fields;
    this.widths = fields.map(f => widths[f.name] ?? defaultWidth(f));
    this.recomputeXs();
    this.selection.clamp(this.rowCount, fields.length);
    this.headerVersion++;
    this.schedule();
  }

  setRowCount(rows: number): void {
    this.scroll.setRowCount(rows);
    const label = Math.max(1, rows).toLocaleString();
    this.numWidth = Math.ceil(20 + label.length * 7.5);
    // zero rows is a transient state (a view being computed): keep the selection for when rows return
    if (rows > 0) { this.selection.clamp(rows, this.fields.length); }
    this.schedule();
  }

  get rowCount(): number { return this.scroll.rowCount; }
  get columnCount(): number { return this.fields.length; }

  /** Text shown instead of rows when there are none (e.g. "No rows match the filter"). */
  setEmptyText(text: string): void { this.emptyText = text; this.schedule(); }

  setSort(keys: SortKey[]): void { this.sortKeys = keys; this.headerVersion++; this.schedule(); }
  setFiltered(fields: Iterable<number>): void { this.filtered = new Set(fields); this.headerVersion++; this.schedule(); }
  setSelectedColumn(field: number | null): void { this.selectedColumn = field; this.headerVersion++; this.schedule(); }
  get selectedColumnIndex(): number | null { return this.selectedColumn; }

  setProfile(p: DatasetProfileDto | null): void {
    this.profiles = new Map((p?.columnProfiles ?? []).map(c => [c.field, c]));
    this.profileIsSample = p?.sample ?? false;
    this.headerVersion++;
    this.schedule();
  }

  /** Marks the row showing this source row (from the text editor's cursor). */
  highlightSourceRow(row: number | null): void { this.highlightSource = row; this.schedule(); }

  columnWidths(): Record<string, number> {
    const out: Record<string, number> = {};
    this.fields.forEach((f, i) => { if (this.widths[i] !== defaultWidth(f)) { out[f.name] = this.widths[i]; } });
    return out;
  }

  // ---- scrolling ------------------------------------------------------------------------

  get topRow(): number { return this.scroll.firstRow; }
  get scrollLeft(): number { return this.left; }
  get visibleRowCount(): number { return this.scroll.pageRows; }

  scrollToRow(row: number, align: 'top' | 'center' | 'nearest'): void {
    this.measure();
    this.scroll.scrollToRow(row, align);
    this.schedule();
  }

  setScrollLeft(px: number): void { this.left = px; this.clampLeft(); this.schedule(); }

  /** Rows currently visible (view positions), after the next render. */
  visibleRange(): { first: number; last: number } {
    const first = this.scroll.firstRow;
    return { first, last: Math.min(this.rowCount, first + this.scroll.visibleRows) - 1 };
  }

  private onNativeScroll(): void {
    const top = this.scroller.scrollTop;
    const left = this.scroller.scrollLeft;
    let changed = false;
    if (Math.abs(top - this.expectTop) > 1) { this.scroll.fromScrollTop(top); this.expectTop = top; changed = true; }
    if (Math.abs(left - this.expectLeft) > 1) { this.left = left; this.expectLeft = left; changed = true; }
    if (changed) { this.render(); this.events.onScroll(); }
  }

  private onWheel(e: WheelEvent): void {
    e.preventDefault();
    const unit = e.deltaMode === 1 ? ROW_HEIGHT : e.deltaMode === 2 ? this.clientH : 1;
    let dx = e.deltaX * unit;
    let dy = e.deltaY * unit;
    if (e.shiftKey && dx === 0) { dx = dy; dy = 0; }
    this.scroll.scrollBy(dy);
    this.left += dx;
    this.clampLeft();
    this.render();
    this.events.onScroll();
  }

  private clampLeft(): void {
    const max = Math.max(0, this.xs[this.fields.length] - (this.clientW - this.numWidth));
    this.left = Math.min(Math.max(0, this.left), max);
  }

  // ---- geometry -------------------------------------------------------------------------

  private recomputeXs(): void {
    this.xs = [0];
    for (const w of this.widths) { this.xs.push(this.xs[this.xs.length - 1] + w); }
  }

  /** Column under an x offset within the columns area, or -1. */
  private columnAt(x: number): number {
    if (x < 0 || x >= this.xs[this.fields.length]) { return -1; }
    let lo = 0;
    let hi = this.fields.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.xs[mid] <= x) { lo = mid; } else { hi = mid - 1; }
    }
    return lo;
  }

  private measure(): void {
    const h = this.scroller.clientHeight;
    this.clientW = this.scroller.clientWidth;
    if (h === this.clientH) { return; }
    // the rows area changed height (a pane opened below, the window resized): a focused row that was
    // in full view stays in view
    const focusRow = this.selection.focus.row;
    const { first, last } = this.fullyVisibleRows();
    const keepFocus = this.rowCount > 0 && focusRow >= first && focusRow <= last;
    this.clientH = h;
    this.scroll.setViewportHeight(h - HEADER_HEIGHT);
    if (keepFocus) { this.scroll.scrollToRow(focusRow, 'nearest'); }
  }

  /** Rows shown from top to bottom edge, before any change of size. */
  private fullyVisibleRows(): { first: number; last: number } {
    const top = this.scroll.topPx;
    const first = Math.ceil(top / ROW_HEIGHT);
    const last = Math.floor((top + Math.max(0, this.clientH - HEADER_HEIGHT)) / ROW_HEIGHT) - 1;
    return { first, last };
  }

  private hit(clientX: number, clientY: number, clamp = false): Hit {
    const rect = this.canvas.getBoundingClientRect();
    let x = clientX - rect.left;
    let y = clientY - rect.top;
    if (clamp) {
      x = Math.min(Math.max(x, this.numWidth), this.clientW - 1);
      y = Math.min(Math.max(y, HEADER_HEIGHT), this.clientH - 1);
    }
    if (x < 0 || y < 0 || x >= this.clientW || y >= this.clientH) { return { area: 'none' }; }
    if (y < HEADER_HEIGHT && x < this.numWidth) { return { area: 'corner' }; }
    const col = this.columnAt(x - this.numWidth + this.left);
    if (y < HEADER_HEIGHT) {
      if (col < 0) { return { area: 'none' }; }
      const colRight = this.xs[col + 1] - this.left + this.numWidth;
      return { area: 'header', col, target: colRight - x <= 5 ? 'resize' : 'title' };
    }
    const row = this.scroll.firstRow + Math.floor((y - HEADER_HEIGHT - this.scroll.firstRowY) / ROW_HEIGHT);
    if (row >= this.rowCount) { return { area: 'none' }; }
    if (x < this.numWidth) { return { area: 'rownum', row }; }
    if (col < 0) { return clamp ? { area: 'body', row, col: this.fields.length - 1 } : { area: 'none' }; }
    return { area: 'body', row, col };
  }

  // ---- mouse ----------------------------------------------------------------------------

  private onMouseDown(e: MouseEvent): void {
    if (e.button !== 0) { return; }
    const target = e.target instanceof Element ? e.target : null;
    if (target?.closest('.hfilter')) {
      const cell = target.closest<HTMLElement>('.hcell');
      const field = Number(cell?.dataset.field);
      if (cell && Number.isInteger(field)) { e.preventDefault(); this.events.onFilterClick(field, cell.getBoundingClientRect()); }
      return;
    }
    const h = this.hit(e.clientX, e.clientY);
    if (h.area === 'none') { return; }
    e.preventDefault();
    this.canvas.focus({ preventScroll: true });
    switch (h.area) {
      case 'corner':
        this.selection.selectAll(this.rowCount, this.fields.length);
        break;
      case 'header':
        if (h.target === 'resize') { this.resize = { field: h.col, startX: e.clientX, startWidth: this.widths[h.col] }; return; }
        this.events.onHeaderClick(h.col);
        return;
      case 'rownum':
        this.selection.set({ row: h.row, col: this.selection.focus.col }, e.shiftKey, 'rows');
        this.drag = { kind: 'rows', moved: false, startRow: h.row };
        break;
      case 'body':
        this.selection.set({ row: h.row, col: h.col }, e.shiftKey);
        this.drag = { kind: 'cells', moved: false, startRow: h.row };
        break;
    }
    this.render();
    this.events.onSelectionChange();
  }

  private onMouseMove(e: MouseEvent): void {
    if (this.resize) {
      const w = Math.max(MIN_COLUMN_WIDTH, this.resize.startWidth + e.clientX - this.resize.startX);
      this.widths[this.resize.field] = w;
      this.recomputeXs();
      this.headerVersion++;
      this.schedule();
      return;
    }
    if (!this.drag || (e.buttons & 1) === 0) { return; }
    const h = this.hit(e.clientX, e.clientY, true);
    if (h.area !== 'body' && h.area !== 'rownum') { return; }
    const pos = { row: h.row, col: h.area === 'body' ? h.col : this.selection.focus.col };
    if (pos.row === this.selection.focus.row && pos.col === this.selection.focus.col) { return; }
    this.drag.moved = true;
    this.selection.set(pos, true);
    this.scrollIntoView(pos);
    this.render();
    this.events.onSelectionChange();
  }

  private onMouseUp(_e: MouseEvent): void {
    if (this.resize) {
      const { field } = this.resize;
      this.resize = null;
      this.events.onColumnWidth(field, this.widths[field]);
      return;
    }
    const drag = this.drag;
    this.drag = null;
    if (drag && !drag.moved) { this.events.onRowClick(drag.startRow); }
  }

  /**
   * VS Code shows its context menu for the webview after this, with the `data-vscode-context` of the element under
   * the pointer and its ancestors: the grid's says which header or cell the menu is for. A right-click on a cell
   * outside the selection moves the focus there, as in a spreadsheet; the context-menu key (or Shift+F10) opens the
   * menu for the focused cell. (Not prevented: VS Code would then show no menu.)
   */
  private onContextMenu(e: MouseEvent): void {
    let target: { field: number; row?: number } | null = null;
    if (e.button === 2) {
      const h = this.hit(e.clientX, e.clientY);
      if (h.area === 'header') {
        target = { field: h.col };
      } else if (h.area === 'body') {
        if (!this.selection.contains(h.row, h.col, this.fields.length)) {
          this.canvas.focus({ preventScroll: true });
          this.selection.set({ row: h.row, col: h.col }, false);
          this.render();
          this.events.onSelectionChange();
        }
        target = { field: h.col, row: h.row };
      }
    } else if (this.rowCount > 0 && this.fields.length > 0) {
      target = { field: this.selection.focus.col, row: this.selection.focus.row };
    }
    this.canvas.dataset.vscodeContext = JSON.stringify(this.events.contextFor(target));
  }

  // ---- keyboard -------------------------------------------------------------------------

  private onKeyDown(e: KeyboardEvent): void {
    const ctrl = e.ctrlKey || e.metaKey;
    if (ctrl && (e.key === 'c' || e.key === 'C')) {
      e.preventDefault();
      this.events.onCopy('tsv', e.shiftKey);
      return;
    }
    if (ctrl && (e.key === 'a' || e.key === 'A')) {
      e.preventDefault();
      this.selection.selectAll(this.rowCount, this.fields.length);
      this.render();
      this.events.onSelectionChange();
      return;
    }
    if (e.key === 'Escape') {
      this.selection.set(this.selection.focus, false);
      this.render();
      this.events.onSelectionChange();
      return;
    }
    if (e.key === ' ' && e.shiftKey) {
      e.preventDefault();
      this.selection.set(this.selection.focus, false, 'rows');
      this.render();
      this.events.onSelectionChange();
      return;
    }
    if (e.key === 'Enter') {
      e.preventDefault();
      this.events.onRowClick(this.selection.focus.row);
      return;
    }
    const next = moveByKey(e.key, ctrl, this.selection.focus, this.rowCount, this.fields.length, this.scroll.pageRows);
    if (!next || this.rowCount === 0) { return; }
    e.preventDefault();
    const keepRows = this.selection.mode === 'rows' && e.shiftKey;
    this.selection.set(next, e.shiftKey, keepRows ? 'rows' : 'cells');
    this.scrollIntoView(next);
    this.render();
    this.events.onSelectionChange();
    this.events.onScroll();
  }

  /** Moves the focus (and the selection with it) to a cell and shows it. */
  focusCell(pos: CellPos, align: 'top' | 'center' | 'nearest' = 'nearest'): void {
    this.measure();
    this.selection.set(pos, false);
    this.selection.clamp(this.rowCount, this.fields.length);
    this.scroll.scrollToRow(this.selection.focus.row, align);
    this.scrollIntoView(this.selection.focus);
    this.render();
    this.events.onSelectionChange();
  }

  focus(): void { this.canvas.focus({ preventScroll: true }); }

  private scrollIntoView(pos: CellPos): void {
    this.measure();
    this.scroll.scrollToRow(pos.row, 'nearest');
    this.scrollColumnIntoView(pos.col);
  }

  private scrollColumnIntoView(col: number): void {
    const bodyW = this.clientW - this.numWidth;
    const x0 = this.xs[col] ?? 0;
    const x1 = this.xs[col + 1] ?? x0;
    if (x0 < this.left) { this.left = x0; }
    else if (x1 > this.left + bodyW) { this.left = Math.min(x0, x1 - bodyW); }
    this.clampLeft();
  }

  /** Where the header of `field` is on screen, scrolled into view first (null when there is no such field). */
  headerRect(field: number): DOMRect | null {
    if (!Number.isInteger(field) || field < 0 || field >= this.fields.length) { return null; }
    this.measure();
    this.scrollColumnIntoView(field);
    this.render();
    const cell = this.headerPool.find(h => h.field === field && !h.cell.hidden)?.cell;
    return cell ? cell.getBoundingClientRect() : null;
  }

  // ---- rendering ------------------------------------------------------------------------

  schedule(): void {
    if (this.frame) { return; }
    this.frame = requestAnimationFrame(() => { this.frame = 0; this.render(); });
  }

  render(): void {
    if (this.frame) { cancelAnimationFrame(this.frame); this.frame = 0; }
    this.measure();
    this.clampLeft();
    const totalW = this.xs[this.fields.length];
    const spacerW = `${this.numWidth + totalW}px`;
    const spacerH = `${HEADER_HEIGHT + this.scroll.scrollHeight}px`;
    if (this.spacer.style.width !== spacerW) { this.spacer.style.width = spacerW; }
    if (this.spacer.style.height !== spacerH) { this.spacer.style.height = spacerH; }
    this.canvas.style.width = `${this.clientW}px`;
    this.canvas.style.height = `${this.clientH}px`;
    const nw = `${this.numWidth}px`;
    this.numLayer.style.width = nw;
    this.corner.style.width = nw;
    this.body.style.left = nw;
    this.headerLayer.style.left = nw;

    const wantTop = this.scroll.toScrollTop();
    if (Math.abs(this.scroller.scrollTop - wantTop) > 1) { this.scroller.scrollTop = wantTop; }
    if (Math.abs(this.scroller.scrollLeft - this.left) > 1) { this.scroller.scrollLeft = this.left; }
    // what the scrollbar shows now is ours, including a position the browser clamped when the spacer
    // shrank (no rows while a sort runs): the scroll event that clamp queues must not move the grid later
    this.expectTop = this.scroller.scrollTop;
    this.expectLeft = this.scroller.scrollLeft;

    // visible columns
    const bodyW = Math.max(0, this.clientW - this.numWidth);
    const cols: number[] = [];
    for (let c = Math.max(0, this.columnAt(this.left)); c >= 0 && c < this.fields.length && this.xs[c] < this.left + bodyW; c++) { cols.push(c); }

    // visible rows
    const first = this.scroll.firstRow;
    const count = Math.max(0, Math.min(this.scroll.visibleRows, this.rowCount - first));
    const y0 = this.scroll.firstRowY;
    if (cols.length && count) { this.source.ensure(first, first + count, cols[0], cols[cols.length - 1] + 1); }

    this.canvas.setAttribute('aria-rowcount', String(this.rowCount + 1));
    this.canvas.setAttribute('aria-colcount', String(this.fields.length + 1));
    this.renderHeader(cols);
    this.renderRows(first, count, y0, cols);
    const empty = this.rowCount === 0 || this.fields.length === 0;
    this.message.hidden = !empty;
    if (empty) { this.message.textContent = this.fields.length === 0 ? 'This dataset has no columns.' : (this.emptyText || 'No rows.'); }
    // drawing can show or hide a scrollbar, which changes the room for rows: draw again with the new size
    if (this.scroller.clientHeight !== this.clientH || this.scroller.clientWidth !== this.clientW) { this.schedule(); }
  }

  private renderHeader(cols: number[]): void {
    while (this.headerPool.length < cols.length) {
      const cell = el('div', 'hcell');
      cell.setAttribute('role', 'columnheader');
      this.headerLayer.appendChild(cell);
      this.headerPool.push({ cell, field: -1, version: -1 });
    }
    while (this.headerPool.length > cols.length) { (this.headerPool.pop() as HeaderEl).cell.remove(); }
    this.headerPool.forEach((h, i) => {
      const field = cols[i];
      h.cell.hidden = field === undefined;
      if (field === undefined) { return; }
      if (h.field !== field || h.version !== this.headerVersion) {
        h.field = field;
        h.version = this.headerVersion;
        this.buildHeaderCell(h.cell, field);
      }
      h.cell.style.left = `${this.xs[field] - this.left}px`;
      h.cell.style.width = `${this.widths[field]}px`;
    });
  }

  private buildHeaderCell(cell: HTMLDivElement, field: number): void {
    const f = this.fields[field];
    clear(cell);
    cell.dataset.field = String(field);
    const sortIndex = this.sortKeys.findIndex(k => k.field === field);
    const sort = sortIndex >= 0 ? this.sortKeys[sortIndex] : null;
    cell.className = 'hcell'
      + (sort ? ' sorted' : '') + (this.filtered.has(field) ? ' filtered' : '')
      + (this.selectedColumn === field ? ' selected' : '') + (isNumericType(f.type) ? ' num' : '');
    cell.setAttribute('aria-sort', sort ? (sort.direction === 'asc' ? 'ascending' : 'descending') : 'none');
    const top = el('div', 'hcell-top');
    const icon = codicon(typeIcon(f.type), 'htype');
    const typeTitle = f.sourceType ? `${f.type} (${f.sourceType})`
      : f.numberFormat ? `${f.type} (${numberFormatText(f.numberFormat)})`
        : f.temporalFormat !== undefined ? `${f.type} (${temporalFormatText(f.temporalFormat)})` : f.type;
    const name = el('span', 'hname', f.name);
    name.title = `${f.name}\n${typeTitle}${f.nullable ? ', nullable' : ''}\nClick to sort`;
    top.append(icon, name);
    if (sort) {
      const arrow = codicon(sort.direction === 'asc' ? 'arrow-up' : 'arrow-down', 'hsort');
      arrow.title = sort.direction === 'asc' ? 'Sorted ascending' : 'Sorted descending';
      top.appendChild(arrow);
      if (this.sortKeys.length > 1) { top.appendChild(el('span', 'hsort-index', String(sortIndex + 1))); }
    }
    const filter = codicon(this.filtered.has(field) ? 'filter-filled' : 'filter', 'hfilter');
    filter.setAttribute('role', 'button');
    filter.removeAttribute('aria-hidden');
    filter.setAttribute('aria-label', `Filter ${f.name}`);
    filter.title = 'Filter…';
    top.appendChild(filter);
    cell.appendChild(top);
    const chart = el('div', 'hcell-chart');
    const p = this.profiles.get(field);
    if (p) { this.appendMiniChart(chart, p, this.widths[field] - 12); }
    cell.appendChild(chart);
    cell.appendChild(el('div', 'hresize'));
  }

  private appendMiniChart(host: HTMLElement, p: ColumnProfileDto, width: number): void {
    const w = Math.max(20, Math.round(width));
    const missingPct = p.count + p.missing > 0 ? (p.missing / (p.count + p.missing)) * 100 : 0;
    const sampleNote = this.profileIsSample ? ' (sample)' : '';
    if (p.number && p.number.histogram.counts.length) {
      const h = p.number.histogram;
      const labels = h.counts.map((c, i) => `${fmtEdge(h.edges[i])} – ${fmtEdge(h.edges[i + 1])}: ${c.toLocaleString()}`);
      host.appendChild(barsSvg(h.counts, labels, { width: w, height: CHART_HEIGHT, stretch: true }, `Histogram of ${p.name}${sampleNote}`));
    } else if (p.date && p.date.histogram.length) {
      const h = p.date.histogram;
      host.appendChild(barsSvg(h.map(b => b.count), h.map(b => `${b.start}: ${b.count.toLocaleString()}`), { width: w, height: CHART_HEIGHT, stretch: true }, `Dates in ${p.name}${sampleNote}`));
    } else {
      const top = p.top ?? [];
      // a bar of top values says nothing when almost every value is different: say how many there are
      if (top.length && top[0].count > 1 && p.distinct <= 0.5 * p.count) {
        host.appendChild(topValuesSvg(top, p.count + p.missing, { width: w, height: CHART_HEIGHT, stretch: true }, `Top values of ${p.name}${sampleNote}`));
      } else if (p.count > 0) {
        host.appendChild(el('span', 'hcell-note', `${p.distinctApprox ? '≈ ' : ''}${p.distinct.toLocaleString()} distinct`));
      }
    }
    host.title = `${p.distinct.toLocaleString()}${p.distinctApprox ? ' ≈' : ''} distinct · ${missingPct.toFixed(1)}% missing${sampleNote}`;
  }

  private renderRows(first: number, count: number, y0: number, cols: number[]): void {
    while (this.rowPool.length < count) {
      const row = el('div', 'grow');
      row.setAttribute('role', 'row');
      const num = el('div', 'rnum');
      this.body.appendChild(row);
      this.numLayer.appendChild(num);
      this.rowPool.push({ row, num, cells: [], texts: [], classes: [] });
    }
    // a smaller window (resize, fewer rows) leaves spare nodes: remove them so the DOM holds only what is shown
    while (this.rowPool.length > count) {
      const spare = this.rowPool.pop() as RowEl;
      spare.row.remove();
      spare.num.remove();
    }
    const range = this.selection.range(this.fields.length);
    const focus = this.selection.focus;
    for (let i = 0; i < this.rowPool.length; i++) {
      const r = this.rowPool[i];
      const visible = i < count;
      if (r.row.hidden === visible) { r.row.hidden = !visible; r.num.hidden = !visible; }
      if (!visible) { continue; }
      const rowIndex = first + i;
      const y = `${y0 + i * ROW_HEIGHT}px`;
      r.row.style.top = y;
      r.num.style.top = y;
      const src = this.source.sourceRow(rowIndex);
      const numText = src === undefined ? '' : (src + 1).toLocaleString();
      if (r.num.textContent !== numText) { r.num.textContent = numText; }
      const rowSelected = rowIndex >= range.r0 && rowIndex <= range.r1;
      const rowsMode = this.selection.mode === 'rows';
      const rowClass = 'grow' + (src !== undefined && src === this.highlightSource ? ' hl' : '') + (rowSelected && rowsMode ? ' selrow' : '') + (rowIndex % 2 ? ' odd' : '');
      if (r.row.className !== rowClass) { r.row.className = rowClass; }
      const numClass = 'rnum' + (rowSelected ? ' sel' : '') + (src !== undefined && src === this.highlightSource ? ' hl' : '');
      if (r.num.className !== numClass) { r.num.className = numClass; }
      r.row.setAttribute('aria-rowindex', String(rowIndex + 2));
      while (r.cells.length > cols.length) {
        (r.cells.pop() as HTMLDivElement).remove();
        r.texts.pop();
        r.classes.pop();
      }
      while (r.cells.length < cols.length) {
        const c = el('div', 'cell');
        c.setAttribute('role', 'gridcell');
        r.row.appendChild(c);
        r.cells.push(c);
        r.texts.push('');
        r.classes.push('');
      }
      for (let j = 0; j < r.cells.length; j++) {
        const cell = r.cells[j];
        const field = cols[j];
        if (field === undefined) { if (!cell.hidden) { cell.hidden = true; } continue; }
        if (cell.hidden) { cell.hidden = false; }
        cell.style.left = `${this.xs[field] - this.left}px`;
        cell.style.width = `${this.widths[field]}px`;
        const f = this.fields[field];
        const v = this.source.cell(rowIndex, field);
        let text = '';
        let kind: string;
        let title = '';
        if (v === undefined) {
          kind = this.source.rowState(rowIndex, field);
        } else {
          const d = displayCell(v, f);
          text = d.text;
          kind = d.kind;
          title = d.full ?? (d.kind === 'missing' ? 'missing value' : '');
        }
        const selected = rowIndex >= range.r0 && rowIndex <= range.r1 && field >= range.c0 && field <= range.c1;
        const isFocus = rowIndex === focus.row && field === focus.col;
        const cls = `cell k-${kind}${kind === 'number' || (isNumericType(f.type) && kind !== 'missing') ? ' num' : ''}${selected ? ' sel' : ''}${isFocus ? ' focus' : ''}${this.selectedColumn === field ? ' colsel' : ''}`;
        if (r.classes[j] !== cls) { cell.className = cls; r.classes[j] = cls; }
        if (r.texts[j] !== text) { cell.textContent = text; r.texts[j] = text; }
        if (cell.title !== title) { cell.title = title; }
        cell.setAttribute('aria-colindex', String(field + 2));
      }
    }
  }
}

function fmtEdge(v: number | undefined): string {
  if (v === undefined) { return ''; }
  return Math.abs(v) >= 1e6 || (Math.abs(v) < 1e-3 && v !== 0) ? v.toPrecision(3) : v.toLocaleString(undefined, { maximumFractionDigits: 3 });
}

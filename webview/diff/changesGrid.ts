// The grid of changed, added and removed rows: virtual (only the rows in view exist in the DOM),
// changed cells drawn as old → new, every value set as text.
import type { DiffChangeDto, DiffChangeType, DiffColumnDto, DiffDto } from '../../src/shared/diffProtocol';
import { clear, codicon, el } from '../preview/dom';
import { count } from './diffFormat';

export const ROW_HEIGHT = 24;
const OVERSCAN = 8;
const LEAD_WIDTH = 120;
const MIN_WIDTH = 70;
const MAX_WIDTH = 340;
/** Characters of a value drawn in a cell (the tooltip has the rest). */
const MAX_CHARS = 200;

export type ChangeFilter = DiffChangeType | 'all';

export class ChangesGrid {
  readonly element: HTMLElement;
  private readonly scroller: HTMLElement;
  private readonly header: HTMLElement;
  private readonly canvas: HTMLElement;
  private readonly empty: HTMLElement;
  private diff: DiffDto | null = null;
  private rows: DiffChangeDto[] = [];
  private widths: number[] = [];
  private frame = 0;

  constructor(private readonly onScroll: (top: number) => void) {
    this.element = el('div', 'grid');
    this.scroller = el('div', 'grid-scroll');
    this.scroller.tabIndex = 0;
    this.scroller.setAttribute('role', 'grid');
    this.header = el('div', 'grid-header');
    this.header.setAttribute('role', 'row');
    this.canvas = el('div', 'grid-canvas');
    this.empty = el('div', 'grid-empty');
    this.empty.hidden = true;
    this.scroller.append(this.header, this.canvas);
    this.element.append(this.scroller, this.empty);
    this.scroller.addEventListener('scroll', () => {
      this.schedule();
      this.onScroll(this.scroller.scrollTop);
    });
    new ResizeObserver(() => this.schedule()).observe(this.scroller);
  }

  get rowCount(): number { return this.rows.length; }

  setData(diff: DiffDto, filter: ChangeFilter): void {
    this.diff = diff;
    this.widths = columnWidths(diff);
    this.renderHeader();
    this.setFilter(filter);
  }

  setFilter(filter: ChangeFilter): void {
    if (!this.diff) { return; }
    this.rows = filter === 'all' ? this.diff.changes : this.diff.changes.filter(c => c.type === filter);
    const total = this.widths.reduce((a, b) => a + b, LEAD_WIDTH);
    this.canvas.style.height = `${this.rows.length * ROW_HEIGHT}px`;
    this.canvas.style.width = `${total}px`;
    this.header.style.width = `${total}px`;
    this.empty.hidden = this.rows.length > 0;
    this.empty.textContent = this.diff.identical ? 'The two versions hold the same rows.' : filter === 'all' ? 'No row changed.' : `No ${filter} rows.`;
    this.scroller.scrollTop = 0;
    this.render();
  }

  set scrollTop(top: number) { this.scroller.scrollTop = top; this.render(); }

  private schedule(): void {
    if (this.frame) { return; }
    this.frame = requestAnimationFrame(() => { this.frame = 0; this.render(); });
  }

  private renderHeader(): void {
    const diff = this.diff as DiffDto;
    clear(this.header);
    const lead = el('div', 'ghcell lead', '');
    lead.style.width = `${LEAD_WIDTH}px`;
    this.header.appendChild(lead);
    diff.columns.forEach((c, k) => {
      const h = el('div', `ghcell col-${c.status}`);
      h.style.width = `${this.widths[k]}px`;
      h.setAttribute('role', 'columnheader');
      const name = el('span', 'ghname', c.name);
      h.appendChild(name);
      const note = c.status === 'added' ? 'added' : c.status === 'removed' ? 'removed' : c.status === 'renamed' ? `was ${c.nameBefore ?? ''}` : c.typeBefore !== c.typeAfter ? `${c.typeBefore} → ${c.typeAfter}` : '';
      if (note) { h.appendChild(el('span', 'ghnote', note)); }
      h.title = [c.name, note, c.changedCells ? `${count(c.changedCells)} changed cells` : ''].filter(Boolean).join(' · ');
      this.header.appendChild(h);
    });
  }

  private render(): void {
    const diff = this.diff;
    clear(this.canvas);
    if (!diff || this.rows.length === 0) { return; }
    const top = this.scroller.scrollTop;
    const height = this.scroller.clientHeight || 600;
    const first = Math.max(0, Math.floor(top / ROW_HEIGHT) - OVERSCAN);
    const last = Math.min(this.rows.length, Math.ceil((top + height) / ROW_HEIGHT) + OVERSCAN);
    for (let i = first; i < last; i++) { this.canvas.appendChild(this.rowElement(diff, this.rows[i], i)); }
  }

  private rowElement(diff: DiffDto, ch: DiffChangeDto, index: number): HTMLElement {
    const row = el('div', `grow row-${ch.type}`);
    row.style.top = `${index * ROW_HEIGHT}px`;
    row.setAttribute('role', 'row');
    row.dataset.index = String(index);
    const lead = el('div', 'gcell lead');
    lead.style.width = `${LEAD_WIDTH}px`;
    lead.append(codicon(ch.type === 'added' ? 'diff-added' : ch.type === 'removed' ? 'diff-removed' : 'diff-modified', 'mark'));
    const where = [ch.rowA !== null ? `old ${count(ch.rowA + 1)}` : '', ch.rowB !== null ? `new ${count(ch.rowB + 1)}` : ''].filter(Boolean).join(' · ');
    lead.appendChild(el('span', 'rownum', where));
    lead.title = `${ch.type} row (${where}, counting from 1)`;
    row.appendChild(lead);
    const changedAt = new Map<number, number>();
    (ch.changed ?? []).forEach((c, k) => changedAt.set(c, k));
    diff.columns.forEach((col, c) => {
      const cell = el('div', 'gcell');
      cell.style.width = `${this.widths[c]}px`;
      cell.setAttribute('role', 'gridcell');
      const k = changedAt.get(c);
      if (absent(col, ch.type)) {
        cell.classList.add('absent');
      } else if (k !== undefined) {
        const before = (ch.old ?? [])[k] ?? null;
        const after = ch.values[c];
        cell.classList.add('changed');
        cell.append(valueSpan(before, 'old'), el('span', 'arrow', '→'), valueSpan(after, 'new'));
        cell.title = `${before ?? 'null'} → ${after ?? 'null'}`;
      } else {
        cell.appendChild(valueSpan(ch.values[c], 'value'));
        cell.title = ch.values[c] ?? 'null';
      }
      row.appendChild(cell);
    });
    return row;
  }
}

/** A column the row's version does not have. */
function absent(col: DiffColumnDto, type: DiffChangeType): boolean {
  return (col.status === 'added' && type === 'removed') || (col.status === 'removed' && type === 'added');
}

function valueSpan(v: string | null, className: string): HTMLElement {
  if (v === null) { return el('span', `${className} null`, 'null'); }
  const flat = v.length > MAX_CHARS ? `${v.slice(0, MAX_CHARS)}…` : v;
  // line breaks and tabs stay visible on one line
  return el('span', className, flat.replace(/\r?\n/g, '↵').replace(/\t/g, '⇥'));
}

function columnWidths(diff: DiffDto): number[] {
  const sample = diff.changes.slice(0, 200);
  return diff.columns.map((c, k) => {
    let chars = c.name.length + (c.status === 'renamed' ? 8 : 0);
    for (const ch of sample) {
      const v = ch.values[k];
      const i = (ch.changed ?? []).indexOf(k);
      const len = (v?.length ?? 4) + (i >= 0 ? ((ch.old ?? [])[i]?.length ?? 4) + 3 : 0);
      if (len > chars) { chars = len; }
    }
    return Math.max(MIN_WIDTH, Math.min(MAX_WIDTH, chars * 8.2 + 20));
  });
}

// The per-column filter editor: equals, contains, range, is missing / is present; opens under a column header.
import type { ColumnFilter, FieldDto } from '../../src/shared/protocol';
import { el } from './dom';
import { isNumericType } from './cellText';

type Op = ColumnFilter['op'];

const OPS: { op: Op; label: string }[] = [
  { op: 'contains', label: 'contains' },
  { op: 'equals', label: 'equals' },
  { op: 'range', label: 'between' },
  { op: 'missing', label: 'is missing' },
  { op: 'present', label: 'is not missing' },
];

type Field = HTMLElementTagNameMap['vscode-textfield'];

export class FilterPopup {
  readonly element: HTMLDivElement;
  private field = -1;
  private onApply: (f: ColumnFilter | null) => void = () => {};
  private readonly title: HTMLDivElement;
  private readonly op: HTMLElementTagNameMap['vscode-single-select'];
  private readonly value: Field;
  private readonly min: Field;
  private readonly max: Field;
  private readonly error: HTMLDivElement;
  private fieldType: FieldDto['type'] = 'string';
  private currentOp: Op = 'contains';

  constructor() {
    this.element = el('div', 'filter-popup');
    this.element.hidden = true;
    this.element.setAttribute('role', 'dialog');
    this.title = el('div', 'filter-title');
    this.op = document.createElement('vscode-single-select');
    this.op.className = 'filter-op';
    for (const { op, label } of OPS) {
      const o = document.createElement('vscode-option');
      o.value = op;
      o.textContent = label;
      this.op.appendChild(o);
    }
    this.value = document.createElement('vscode-textfield');
    this.value.className = 'filter-value';
    this.value.placeholder = 'Value';
    const rangeBox = el('div', 'filter-range');
    this.min = document.createElement('vscode-textfield');
    this.min.className = 'filter-min';
    this.min.placeholder = 'Minimum';
    this.max = document.createElement('vscode-textfield');
    this.max.className = 'filter-max';
    this.max.placeholder = 'Maximum';
    rangeBox.append(this.min, this.max);
    this.error = el('div', 'filter-error');
    const buttons = el('div', 'filter-buttons');
    const apply = document.createElement('vscode-button');
    apply.textContent = 'Apply';
    apply.className = 'filter-apply';
    const clearButton = document.createElement('vscode-button');
    clearButton.secondary = true;
    clearButton.textContent = 'Clear';
    clearButton.className = 'filter-clear';
    buttons.append(apply, clearButton);
    this.element.append(this.title, this.op, this.value, rangeBox, this.error, buttons);

    this.op.addEventListener('change', () => { this.currentOp = this.op.value as Op; this.syncInputs(); });
    apply.addEventListener('click', () => this.apply());
    clearButton.addEventListener('click', () => { this.close(); this.onApply(null); });
    this.element.addEventListener('keydown', e => {
      if (e.key === 'Enter') { e.preventDefault(); this.apply(); }
      if (e.key === 'Escape') { e.preventDefault(); this.close(); }
    });
    document.addEventListener('mousedown', e => {
      if (!this.element.hidden && e.target instanceof Node && !this.element.contains(e.target)) { this.close(); }
    }, true);
  }

  get isOpen(): boolean { return !this.element.hidden; }

  open(field: number, f: FieldDto, current: ColumnFilter | undefined, anchor: DOMRect, onApply: (f: ColumnFilter | null) => void): void {
    this.field = field;
    this.fieldType = f.type;
    this.onApply = onApply;
    this.title.textContent = `Filter “${f.name}”`;
    const op: Op = current?.op ?? (isNumericType(f.type) || f.type === 'date' || f.type === 'datetime' ? 'range' : 'contains');
    this.op.value = op;
    // kept here too: a select made moments ago reads back its value only once its options have rendered
    this.currentOp = op;
    this.value.value = current && (current.op === 'equals' || current.op === 'contains') ? current.value : '';
    this.min.value = current?.op === 'range' && current.min !== undefined ? String(current.min) : '';
    this.max.value = current?.op === 'range' && current.max !== undefined ? String(current.max) : '';
    this.error.textContent = '';
    this.element.hidden = false;
    const width = 260;
    this.element.style.left = `${Math.max(4, Math.min(anchor.left, window.innerWidth - width - 8))}px`;
    this.element.style.top = `${anchor.bottom + 2}px`;
    this.syncInputs();
    requestAnimationFrame(() => (op === 'range' ? this.min : this.value).focus());
  }

  close(): void { this.element.hidden = true; }

  private syncInputs(): void {
    const op = this.currentOp;
    this.value.hidden = op !== 'equals' && op !== 'contains';
    (this.min.parentElement as HTMLElement).hidden = op !== 'range';
  }

  private bound(text: string): number | string | undefined | null {
    const t = text.trim();
    if (t === '') { return undefined; }
    if (isNumericType(this.fieldType)) {
      const n = Number(t.replace(/[\s_]/g, ''));
      return Number.isFinite(n) ? n : null;
    }
    return t;
  }

  private apply(): void {
    const op = this.currentOp;
    let filter: ColumnFilter;
    switch (op) {
      case 'equals': case 'contains': {
        if (this.value.value === '') { this.error.textContent = 'Enter a value.'; return; }
        filter = { field: this.field, op, value: this.value.value };
        break;
      }
      case 'range': {
        const min = this.bound(this.min.value);
        const max = this.bound(this.max.value);
        if (min === null || max === null) { this.error.textContent = 'Bounds must be numbers.'; return; }
        if (min === undefined && max === undefined) { this.error.textContent = 'Enter a minimum, a maximum or both.'; return; }
        filter = { field: this.field, op: 'range', ...(min !== undefined ? { min } : {}), ...(max !== undefined ? { max } : {}) };
        break;
      }
      default: filter = { field: this.field, op };
    }
    this.close();
    this.onApply(filter);
  }
}

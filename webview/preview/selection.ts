// The grid's selection: a focused cell plus an anchor spanning a rectangle, whole rows, or everything; and keyboard moves.

export interface CellPos { row: number; col: number }
export interface CellRange { r0: number; r1: number; c0: number; c1: number }

export type SelectionMode = 'cells' | 'rows';

export class Selection {
  anchor: CellPos = { row: 0, col: 0 };
  focus: CellPos = { row: 0, col: 0 };
  mode: SelectionMode = 'cells';

  /** Inclusive bounds; in 'rows' mode the columns span [0, columns). */
  range(columns: number): CellRange {
    const r = {
      r0: Math.min(this.anchor.row, this.focus.row), r1: Math.max(this.anchor.row, this.focus.row),
      c0: Math.min(this.anchor.col, this.focus.col), c1: Math.max(this.anchor.col, this.focus.col),
    };
    if (this.mode === 'rows') { r.c0 = 0; r.c1 = Math.max(0, columns - 1); }
    return r;
  }

  contains(row: number, col: number, columns: number): boolean {
    const r = this.range(columns);
    return row >= r.r0 && row <= r.r1 && col >= r.c0 && col <= r.c1;
  }

  isSingleCell(): boolean {
    return this.mode === 'cells' && this.anchor.row === this.focus.row && this.anchor.col === this.focus.col;
  }

  set(pos: CellPos, extend: boolean, mode: SelectionMode = 'cells'): void {
    this.focus = { ...pos };
    if (!extend) { this.anchor = { ...pos }; this.mode = mode; }
  }

  selectAll(rows: number, columns: number): void {
    this.anchor = { row: 0, col: 0 };
    this.focus = { row: Math.max(0, rows - 1), col: Math.max(0, columns - 1) };
    this.mode = 'cells';
  }

  clamp(rows: number, columns: number): void {
    const c = (p: CellPos): CellPos => ({ row: Math.min(Math.max(0, p.row), Math.max(0, rows - 1)), col: Math.min(Math.max(0, p.col), Math.max(0, columns - 1)) });
    this.anchor = c(this.anchor);
    this.focus = c(this.focus);
  }
}

/** Where a navigation key moves the focus, or null for keys that do not move it. */
export function moveByKey(key: string, ctrl: boolean, pos: CellPos, rows: number, columns: number, pageRows: number): CellPos | null {
  const lastRow = Math.max(0, rows - 1);
  const lastCol = Math.max(0, columns - 1);
  const clampRow = (r: number): number => Math.min(Math.max(0, r), lastRow);
  switch (key) {
    case 'ArrowUp': return { row: ctrl ? 0 : clampRow(pos.row - 1), col: pos.col };
    case 'ArrowDown': return { row: ctrl ? lastRow : clampRow(pos.row + 1), col: pos.col };
    case 'ArrowLeft': return { row: pos.row, col: ctrl ? 0 : Math.max(0, pos.col - 1) };
    case 'ArrowRight': return { row: pos.row, col: ctrl ? lastCol : Math.min(lastCol, pos.col + 1) };
    case 'PageUp': return { row: clampRow(pos.row - pageRows), col: pos.col };
    case 'PageDown': return { row: clampRow(pos.row + pageRows), col: pos.col };
    case 'Home': return ctrl ? { row: 0, col: 0 } : { row: pos.row, col: 0 };
    case 'End': return ctrl ? { row: lastRow, col: lastCol } : { row: pos.row, col: lastCol };
    default: return null;
  }
}

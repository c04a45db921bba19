// Vertical scroll over any number of rows: a virtual pixel offset, mapped onto a scrollbar no taller than browsers allow.

/** Browsers cap element heights (Chromium ~33.5M px, Firefox ~17.9M px); stay well under both. */
export const MAX_SCROLL_HEIGHT = 15_000_000;

export class ScrollModel {
  /** Offset in px of the viewport's top within the full (unscaled) rows area. */
  private top = 0;
  private rows = 0;
  private viewport = 0;

  constructor(readonly rowHeight: number) {}

  setRowCount(rows: number): void { this.rows = Math.max(0, rows); this.clamp(); }
  /** Height in px of the area rows are drawn in (the viewport minus the header). */
  setViewportHeight(px: number): void { this.viewport = Math.max(0, px); this.clamp(); }

  get rowCount(): number { return this.rows; }
  get contentHeight(): number { return this.rows * this.rowHeight; }
  get maxTop(): number { return Math.max(0, this.contentHeight - this.viewport); }

  /** Height to give the scroller's spacer (rows area only). */
  get scrollHeight(): number { return Math.min(this.contentHeight, MAX_SCROLL_HEIGHT); }

  private get scrollMax(): number { return Math.max(0, this.scrollHeight - this.viewport); }

  /** Virtual px per scrollbar px (1 unless the content is taller than the cap). */
  get ratio(): number { return this.scrollMax > 0 ? this.maxTop / this.scrollMax : 1; }

  get scaled(): boolean { return this.contentHeight > MAX_SCROLL_HEIGHT; }

  /** The scrollbar moved (dragged or paged by the browser): follow it. */
  fromScrollTop(scrollTop: number): void { this.top = scrollTop * this.ratio; this.clamp(); }

  /** Where the scrollbar should be for the current virtual offset. */
  toScrollTop(): number { return this.ratio > 0 ? this.top / this.ratio : 0; }

  scrollBy(px: number): void { this.top += px; this.clamp(); }

  get topPx(): number { return this.top; }
  set topPx(px: number) { this.top = px; this.clamp(); }

  /** First row (partly) visible. */
  get firstRow(): number { return Math.floor(this.top / this.rowHeight); }
  /** Y of the first visible row relative to the rows area (0 or negative). */
  get firstRowY(): number { return this.firstRow * this.rowHeight - this.top; }
  /** Rows that can be (partly) visible at once. */
  get visibleRows(): number { return Math.ceil(this.viewport / this.rowHeight) + 1; }
  /** Rows that fit entirely. */
  get pageRows(): number { return Math.max(1, Math.floor(this.viewport / this.rowHeight)); }

  scrollToRow(row: number, align: 'top' | 'center' | 'nearest'): void {
    const y = row * this.rowHeight;
    if (align === 'top') { this.top = y; }
    else if (align === 'center') { this.top = y - (this.viewport - this.rowHeight) / 2; }
    else if (y < this.top) { this.top = y; }
    else if (y + this.rowHeight > this.top + this.viewport) { this.top = y + this.rowHeight - this.viewport; }
    this.clamp();
  }

  private clamp(): void {
    this.top = Math.min(Math.max(0, this.top), this.maxTop);
  }
}

// Small SVG charts in theme colours: histograms and a stacked bar of top values (every label set as text).
import type { ValueCount } from '../../src/shared/protocol';
import { svgEl } from './dom';

export interface ChartOptions {
  width: number;
  height: number;
  /** Stretch to the element's CSS size (header mini charts) instead of keeping proportions. */
  stretch?: boolean;
  className?: string;
}

function frame(o: ChartOptions, label: string): SVGSVGElement {
  const s = svgEl('svg', { viewBox: `0 0 ${o.width} ${o.height}`, width: o.width, height: o.height, role: 'img', class: `chart ${o.className ?? ''}`.trim() });
  if (o.stretch) { s.setAttribute('preserveAspectRatio', 'none'); }
  s.setAttribute('aria-label', label);
  return s;
}

/** Vertical bars, one per count; `labels[i]` becomes each bar's tooltip. */
export function barsSvg(counts: readonly number[], labels: readonly string[], o: ChartOptions, label: string): SVGSVGElement {
  const s = frame(o, label);
  const max = Math.max(1, ...counts);
  const n = Math.max(1, counts.length);
  const w = o.width / n;
  const gap = w > 4 ? 1 : 0;
  counts.forEach((c, i) => {
    const h = c > 0 ? Math.max(1, (c / max) * o.height) : 0;
    const bar = svgEl('rect', { x: i * w, y: o.height - h, width: Math.max(0.5, w - gap), height: h, class: 'chart-bar' });
    const t = svgEl('title');
    t.textContent = labels[i] ?? String(c);
    bar.appendChild(t);
    s.appendChild(bar);
  });
  const base = svgEl('line', { x1: 0, x2: o.width, y1: o.height - 0.5, y2: o.height - 0.5, class: 'chart-axis' });
  s.appendChild(base);
  return s;
}

/** One horizontal bar split by the share of each top value; the rest is drawn muted. */
export function topValuesSvg(top: readonly ValueCount[], total: number, o: ChartOptions, label: string): SVGSVGElement {
  const s = frame(o, label);
  let x = 0;
  const shown = top.slice(0, 4);
  shown.forEach((v, i) => {
    const w = total > 0 ? (v.count / total) * o.width : 0;
    const seg = svgEl('rect', { x, y: 0, width: Math.max(0, w - 1), height: o.height, class: `chart-seg chart-seg-${i}` });
    const t = svgEl('title');
    t.textContent = `${v.value}: ${v.count.toLocaleString()} (${total > 0 ? ((v.count / total) * 100).toFixed(1) : '0'}%)`;
    seg.appendChild(t);
    s.appendChild(seg);
    x += w;
  });
  if (x < o.width - 0.5) {
    const rest = svgEl('rect', { x, y: 0, width: o.width - x, height: o.height, class: 'chart-seg chart-seg-rest' });
    const t = svgEl('title');
    t.textContent = 'other values';
    rest.appendChild(t);
    s.appendChild(rest);
  }
  return s;
}

// DOM construction for the preview: elements with classes and text only (never HTML strings).

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (className) { e.className = className; }
  if (text !== undefined) { e.textContent = text; }
  return e;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

export function svgEl<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number> = {}): SVGElementTagNameMap[K] {
  const e = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) { e.setAttribute(k, String(v)); }
  return e;
}

/** A codicon glyph (the font is linked by the page). */
export function codicon(name: string, className = ''): HTMLSpanElement {
  const e = el('span', `codicon codicon-${name}${className ? ' ' + className : ''}`);
  e.setAttribute('aria-hidden', 'true');
  return e;
}

export function clear(e: Element): void {
  while (e.firstChild) { e.removeChild(e.firstChild); }
}

// Where each field's value sits in a JSON Lines record's text, so a problem with a value can be shown at it.

/** A value's place in its line: the UTF-16 offsets of its first character and just after its last. */
export interface ValueSpan { start: number; end: number }

/**
 * The span of the value of each of `names` in `text`, a JSON object on one line (its top-level members only);
 * undefined for a name the object lacks, and for every name when the text is not an object.
 */
export function valueSpans(text: string, names: readonly string[]): (ValueSpan | undefined)[] {
  const found = new Map<string, ValueSpan>();
  let i = skipSpace(text, 0);
  if (text[i] !== '{') { return names.map(() => undefined); }
  i = skipSpace(text, i + 1);
  while (i < text.length && text[i] === '"') {
    const keyEnd = skipString(text, i);
    if (keyEnd < 0) { break; }
    let key: string;
    try { key = JSON.parse(text.slice(i, keyEnd)) as string; } catch { break; }
    i = skipSpace(text, keyEnd);
    if (text[i] !== ':') { break; }
    const start = skipSpace(text, i + 1);
    const end = skipValue(text, start);
    if (end <= start) { break; }
    if (!found.has(key)) { found.set(key, { start, end }); }
    i = skipSpace(text, end);
    if (text[i] !== ',') { break; }
    i = skipSpace(text, i + 1);
  }
  return names.map(n => found.get(n));
}

function skipSpace(text: string, i: number): number {
  while (i < text.length && (text[i] === ' ' || text[i] === '\t' || text[i] === '\r' || text[i] === '\n')) { i++; }
  return i;
}

/** Just after the string starting at `i` (a quote), or -1 when it is not closed. */
function skipString(text: string, i: number): number {
  for (let j = i + 1; j < text.length; j++) {
    if (text[j] === '\\') { j++; continue; }
    if (text[j] === '"') { return j + 1; }
  }
  return -1;
}

/** Just after the JSON value starting at `i`: a string, an object or array (to its matching bracket), or a scalar. */
function skipValue(text: string, i: number): number {
  const c = text[i];
  if (c === '"') { return skipString(text, i); }
  if (c === '{' || c === '[') {
    let depth = 0;
    for (let j = i; j < text.length; j++) {
      const d = text[j];
      if (d === '"') { j = skipString(text, j) - 1; if (j < 0) { return -1; } continue; }
      if (d === '{' || d === '[') { depth++; } else if (d === '}' || d === ']') { depth--; if (depth === 0) { return j + 1; } }
    }
    return -1;
  }
  let j = i;
  while (j < text.length && text[j] !== ',' && text[j] !== '}' && text[j] !== ']' && text[j] !== ' ' && text[j] !== '\t' && text[j] !== '\r') { j++; }
  return j;
}

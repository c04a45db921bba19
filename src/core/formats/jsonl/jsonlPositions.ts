// Where each field's value sits in a JSON Lines record's text, so a problem with a value can be shown at it.
import { topLevelMembers } from './jsonlRecord';

/** A value's place in its line: the UTF-16 offsets of its first character and just after its last. */
export interface ValueSpan { start: number; end: number }

/**
 * The span of the value of each of `names` in `text`, a JSON object on one line (its top-level members; of a key
 * written twice, the last, as JSON.parse reads it); undefined for a name the object lacks, and for every name when
 * the text is not an object.
 */
export function valueSpans(text: string, names: readonly string[]): (ValueSpan | undefined)[] {
  const found = new Map<string, ValueSpan>();
  try {
    for (const m of topLevelMembers(text)) { found.set(m.key, { start: m.start, end: m.end }); }
  } catch {
    // not JSON: what was found before the fault stands
  }
  return names.map(n => found.get(n));
}

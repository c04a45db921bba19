// Numbers of delimited text written in a format (`1.234,5`, `1,234.5`): recognising them in a sample, and reading them.

/** How a text field writes its numbers when not as `1234.5`: Frictionless' `decimalChar` and `groupChar`. */
export interface NumberFormat {
  decimalChar: string;
  /** The thousands separator, when the values have one. */
  groupChar?: string;
}

/** Thousands separators of decimal-comma numbers: `.` (Germany), space, no-break space and narrow no-break space (France). */
const DECIMAL_COMMA_GROUP_CHARS: readonly string[] = ['.', ' ', '\u00a0', '\u202f'];

/** Bits of `decimalCommaShape`. */
export const COMMA_FRACTION = 1;
/** The comma cannot be an English thousands separator (`1,234` could be one; `1,23`, `0,125`, `1.234,567` cannot). */
export const COMMA_UNAMBIGUOUS = 2;
/** `shape >> COMMA_GROUP_SHIFT`: 0 without groups, else 1 + the index of the group char in DECIMAL_COMMA_GROUP_CHARS. */
export const COMMA_GROUP_SHIFT = 2;

function groupIndex(c: number): number {
  switch (c) {
    case 0x2e: return 1;
    case 0x20: return 2;
    case 0xa0: return 3;
    case 0x202f: return 4;
    default: return 0;
  }
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** The index after `value`'s sign, if it has one. */
function afterSign(value: string): number {
  const c = value.charCodeAt(0);
  return c === 43 || c === 45 ? 1 : 0;
}

/** The index after the run of digits of `value` from `i`. */
function afterDigits(value: string, i: number): number {
  while (i < value.length && isDigit(value.charCodeAt(i))) { i++; }
  return i;
}

/** Whether `value` has a group of exactly three digits after the separator at `i`. */
function groupAt(value: string, i: number): boolean {
  return isDigit(value.charCodeAt(i + 1)) && isDigit(value.charCodeAt(i + 2)) && isDigit(value.charCodeAt(i + 3));
}

/** The length of the fraction that follows the separator at `i` and ends `value`; 0 when there is none or more follows. */
function fractionAt(value: string, i: number): number {
  const end = afterDigits(value, i + 1);
  return end === value.length ? end - i - 1 : 0;
}

/**
 * How `value` reads as a number with a decimal comma, or -1 when it is none: an optional sign, digits without leading
 * zeros (or `0`), or 1-3 digits then groups of exactly 3 digits after one group char (`1.234.567`), then optionally
 * `,` and digits. The result holds COMMA_FRACTION when it has a comma fraction, COMMA_UNAMBIGUOUS when that comma is
 * surely decimal, and the group char above COMMA_GROUP_SHIFT. `1,2,3`, `12,3456,7`, `1.5`, `1.234.56` and `,5` are none.
 */
export function decimalCommaShape(value: string): number {
  const n = value.length;
  const start = afterSign(value);
  let i = afterDigits(value, start);
  const lead = i - start;
  if (lead === 0 || (lead > 1 && value.charCodeAt(start) === 48)) { return -1; }
  const group = i < n ? groupIndex(value.charCodeAt(i)) : 0;
  if (group !== 0) {
    if (lead > 3 || value.charCodeAt(start) === 48) { return -1; }
    while (i < n && groupIndex(value.charCodeAt(i)) === group) {
      if (!groupAt(value, i)) { return -1; }
      i += 4;
    }
  }
  const groups = group << COMMA_GROUP_SHIFT;
  if (i === n) { return groups; }
  if (value.charCodeAt(i) !== 44) { return -1; }
  const fraction = fractionAt(value, i);
  if (fraction === 0) { return -1; }
  const unambiguous = fraction !== 3 || group !== 0 || lead > 3 || value.charCodeAt(start) === 48;
  return groups | COMMA_FRACTION | (unambiguous ? COMMA_UNAMBIGUOUS : 0);
}

/**
 * A number written in `format` as JavaScript writes numbers (`-1.234,5` → `-1234.5`), as Frictionless reads a
 * number field with `decimalChar` and `groupChar`: spaces around it dropped, every group char dropped, the decimal
 * char made a point; null when it then holds a point that was neither. The result may still be no number (`abc`).
 */
export function plainNumberText(text: string, format: NumberFormat): string | null {
  const { decimalChar, groupChar } = format;
  let s = text.trim();
  if (groupChar !== undefined && s.includes(groupChar)) { s = s.split(groupChar).join(''); }
  if (decimalChar !== '.') {
    if (s.includes('.')) { return null; }
    if (s.includes(decimalChar)) { s = s.replace(decimalChar, '.'); }
  }
  return s;
}

/** The format of numbers with a decimal comma and, when `group` (from decimalCommaShape) is not 0, its group char. */
export function decimalCommaFormat(group: number): NumberFormat {
  return group === 0 ? { decimalChar: ',' } : { decimalChar: ',', groupChar: DECIMAL_COMMA_GROUP_CHARS[group - 1] };
}

/** Bit of `thousandsCommaShape`: the value cannot be read with a decimal comma (`1,234.5`, `3,000,000`; `1,234` can). */
export const THOUSANDS_UNAMBIGUOUS = 1;

/**
 * How `value` reads as a number with `,` thousands groups and a decimal point, or -1 when it is none: an optional sign,
 * 1-3 digits not starting with `0`, one or more groups of `,` and exactly 3 digits, then optionally `.` and digits
 * (`12,500`, `-3,000,000`, `1,234.50`). The result holds THOUSANDS_UNAMBIGUOUS when a `.` fraction or a second group
 * rules out a decimal comma. Numbers without a group (`1234.5`), `0,123`, `1234,567`, `1,23`, `1,234.` are none.
 */
export function thousandsCommaShape(value: string): number {
  const n = value.length;
  const start = afterSign(value);
  let i = afterDigits(value, start);
  const lead = i - start;
  if (lead === 0 || lead > 3 || value.charCodeAt(start) === 48) { return -1; }
  let groups = 0;
  while (i < n && value.charCodeAt(i) === 44) {
    if (!groupAt(value, i)) { return -1; }
    i += 4;
    groups++;
  }
  if (groups === 0) { return -1; }
  if (i === n) { return groups > 1 ? THOUSANDS_UNAMBIGUOUS : 0; }
  if (value.charCodeAt(i) !== 46) { return -1; }
  return fractionAt(value, i) === 0 ? -1 : THOUSANDS_UNAMBIGUOUS;
}

/** The format of numbers with `,` thousands groups and a decimal point (`1,234.5`). */
export function thousandsCommaFormat(): NumberFormat {
  return { decimalChar: '.', groupChar: ',' };
}

/** A format as a Table Schema number field writes it: `decimalChar` only when not the default `.`, `groupChar` when set. */
export function numberFormatProperties(format: NumberFormat | undefined): { decimalChar?: string; groupChar?: string } {
  if (format === undefined) { return {}; }
  return {
    ...(format.decimalChar !== '.' ? { decimalChar: format.decimalChar } : {}),
    ...(format.groupChar !== undefined ? { groupChar: format.groupChar } : {}),
  };
}

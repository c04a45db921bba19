// Likely personal data per column: emails, phone numbers, payment cards, IBANs, US SSNs, IP addresses.
//
// Findings are per column (share of values that look like one kind, and an example row), never per cell.
// Each detector checks structure, not just shape: cards must pass Luhn and carry a known issuer prefix,
// IBANs must have their country's length and pass mod-97, SSNs must respect the area/group/serial rules.

export type PiiKind = 'email' | 'phone' | 'payment-card' | 'iban' | 'us-ssn' | 'ip-address';

export const PII_KINDS: readonly PiiKind[] = ['email', 'phone', 'payment-card', 'iban', 'us-ssn', 'ip-address'];

export const PII_LABELS: Record<PiiKind, string> = {
  email: 'email addresses',
  phone: 'phone numbers',
  'payment-card': 'payment card numbers',
  iban: 'IBANs',
  'us-ssn': 'US social security numbers',
  'ip-address': 'IP addresses',
};

export interface PiiFinding {
  /** 0-based column index. */
  column: number;
  kind: PiiKind;
  /** Matching values / non-missing values checked, in [0, 1]. */
  share: number;
  matches: number;
  checked: number;
  /** 0-based data row of the first matching value. */
  exampleRow: number;
}

export interface PiiOptions {
  /** Smallest share of a column's values that makes a finding (default 0.5). */
  minShare?: number;
  /** After this many values, a detector that has matched nothing in a column stops looking at it (default 1000). */
  warmup?: number;
}

// ---- single-value detectors ----------------------------------------------------------------------------------

const EMAIL_RE = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,}$/;

export function looksLikeEmail(t: string): boolean {
  return t.length >= 6 && t.length <= 254 && t.includes('@') && EMAIL_RE.test(t);
}

/** Luhn checksum over a string of digits. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (d < 0 || d > 9) { return false; }
    if (double) { d *= 2; if (d > 9) { d -= 9; } }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

/** Issuer prefixes (IIN ranges) and the lengths each network issues. */
function cardNetworkAccepts(d: string): boolean {
  const n = d.length;
  const p2 = Number(d.slice(0, 2)), p3 = Number(d.slice(0, 3)), p4 = Number(d.slice(0, 4)), p6 = Number(d.slice(0, 6));
  if (d[0] === '4') { return n === 13 || n === 16 || n === 19; } // Visa
  if ((p2 >= 51 && p2 <= 55) || (p4 >= 2221 && p4 <= 2720)) { return n === 16; } // Mastercard
  if (p2 === 34 || p2 === 37) { return n === 15; } // American Express
  if (p4 === 6011 || (p3 >= 644 && p3 <= 649) || p2 === 65 || (p6 >= 622126 && p6 <= 622925)) { return n >= 16 && n <= 19; } // Discover
  if (p4 >= 3528 && p4 <= 3589) { return n >= 16 && n <= 19; } // JCB
  if ((p3 >= 300 && p3 <= 305) || p2 === 36 || p2 === 38 || p2 === 39 || p3 === 309) { return n >= 14 && n <= 19; } // Diners Club
  if (p2 === 62) { return n >= 16 && n <= 19; } // UnionPay
  if (['5018', '5020', '5038', '5893', '6304', '6759', '6761', '6762', '6763'].includes(d.slice(0, 4))) { return n >= 12 && n <= 19; } // Maestro
  return false;
}

/** 13–19 digits (spaces or dashes between groups allowed), a known issuer prefix, Luhn-valid. */
export function looksLikePaymentCard(t: string): boolean {
  if (t.length < 13 || t.length > 23) { return false; }
  const d = /[ -]/.test(t) ? (/^\d{4}(?:[ -]\d{2,6}){2,4}$/.test(t) ? t.replace(/[ -]/g, '') : '') : t;
  if (d.length < 13 || d.length > 19 || !/^\d+$/.test(d)) { return false; }
  return cardNetworkAccepts(d) && luhnValid(d);
}

const IBAN_LENGTHS: Record<string, number> = {
  AD: 24, AE: 23, AL: 28, AT: 20, AZ: 28, BA: 20, BE: 16, BG: 22, BH: 22, BI: 27, BR: 29, BY: 28, CH: 21, CR: 22,
  CY: 28, CZ: 24, DE: 22, DJ: 27, DK: 18, DO: 28, EE: 20, EG: 29, ES: 24, FI: 18, FK: 18, FO: 18, FR: 27, GB: 22,
  GE: 22, GI: 23, GL: 18, GR: 27, GT: 28, HR: 21, HU: 28, IE: 22, IL: 23, IQ: 23, IS: 26, IT: 27, JO: 30, KW: 30,
  KZ: 20, LB: 28, LC: 32, LI: 21, LT: 20, LU: 20, LV: 21, LY: 25, MC: 27, MD: 24, ME: 22, MK: 19, MN: 20, MR: 27,
  MT: 31, MU: 30, NI: 28, NL: 18, NO: 15, OM: 23, PK: 24, PL: 28, PS: 29, PT: 25, QA: 29, RO: 24, RS: 22, RU: 33,
  SA: 24, SC: 31, SD: 18, SE: 24, SI: 19, SK: 24, SM: 27, SO: 23, ST: 25, SV: 28, TL: 23, TN: 24, TR: 26, UA: 29,
  VA: 22, VG: 24, XK: 20, YE: 30,
};

/** Country code, the country's length, and ISO 13616 mod-97 = 1 (spaces allowed in groups of four). */
export function isValidIban(t: string): boolean {
  if (t.length < 15 || t.length > 42) { return false; }
  const s = t.includes(' ') ? t.replace(/ /g, '') : t;
  const u = s.toUpperCase();
  if (u !== s && s !== s.toLowerCase()) { return false; }
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]+$/.test(u)) { return false; }
  if (IBAN_LENGTHS[u.slice(0, 2)] !== u.length) { return false; }
  const moved = u.slice(4) + u.slice(0, 4);
  let rem = 0;
  for (let i = 0; i < moved.length; i++) {
    const c = moved.charCodeAt(i);
    const v = c >= 65 ? c - 55 : c - 48; // A=10 ... Z=35
    rem = v >= 10 ? (rem * 100 + v) % 97 : (rem * 10 + v) % 97;
  }
  return rem === 1;
}

/** `AAA-GG-SSSS` (dashes or spaces): area not 000, 666 or 9xx; group not 00; serial not 0000. */
export function isValidUsSsn(t: string): boolean {
  if (t.length !== 11) { return false; }
  const m = /^(\d{3})([- ])(\d{2})\2(\d{4})$/.exec(t);
  if (!m) { return false; }
  const area = Number(m[1]);
  if (area === 0 || area === 666 || area >= 900) { return false; }
  if (m[3] === '00' || m[4] === '0000') { return false; }
  // numbers published in advertising and never issued
  return !(t.startsWith('078') && m[3] === '05' && m[4] === '1120') && !(m[1] === '219' && m[3] === '09' && m[4] === '9999');
}

export function isIPv4(t: string): boolean {
  if (t.length < 7 || t.length > 15) { return false; }
  const parts = t.split('.');
  if (parts.length !== 4) { return false; }
  for (const p of parts) {
    if (!/^(?:0|[1-9]\d{0,2})$/.test(p) || Number(p) > 255) { return false; }
  }
  return true;
}

export function isIPv6(t: string): boolean {
  if (t.length < 2 || t.length > 45 || !t.includes(':')) { return false; }
  let s = t;
  const zone = s.indexOf('%');
  if (zone >= 0) { s = s.slice(0, zone); }
  let groups = 8;
  const lastColon = s.lastIndexOf(':');
  if (s.slice(lastColon + 1).includes('.')) {
    if (!isIPv4(s.slice(lastColon + 1))) { return false; }
    s = s.slice(0, lastColon + 1) + '0:0';
  }
  const halves = s.split('::');
  if (halves.length > 2) { return false; }
  const hex = /^[0-9A-Fa-f]{1,4}$/;
  const count = (h: string): number => {
    if (h === '') { return 0; }
    const g = h.split(':');
    return g.every(x => hex.test(x)) ? g.length : -100;
  };
  if (halves.length === 2) {
    const n = count(halves[0]) + count(halves[1]);
    return n >= 0 && n <= groups - 1;
  }
  groups = count(s);
  return groups === 8;
}

/**
 * Phone numbers: E.164-like `+` and 8–15 digits (separators allowed), or national layouts with separators and
 * 10–12 digits: `(555) 123-4567`, `555-123-4567`, `020 7946 0958`, `06 12 34 56 78`. Bare digit runs are not
 * taken as phones: they are far more often ids or amounts.
 */
export function looksLikePhone(t: string): boolean {
  if (t.length < 9 || t.length > 22) { return false; }
  const c = t.charCodeAt(0);
  if (c !== 43 && c !== 40 && (c < 48 || c > 57)) { return false; }
  if (!/^\+?(?:\(\d{1,4}\)|\d{1,4})(?:[ .-]?(?:\(\d{1,4}\)|\d{1,5})){1,6}$/.test(t)) { return false; }
  let digits = 0;
  for (let i = 0; i < t.length; i++) { const d = t.charCodeAt(i); if (d >= 48 && d <= 57) { digits++; } }
  if (c === 43) { return digits >= 8 && digits <= 15 && t.charCodeAt(1) !== 48; }
  if (!/[ .()-]/.test(t)) { return false; }
  if (digits < 10 || digits > 12) { return false; }
  if (/^\d{4}[-./]\d{1,2}[-./]\d{1,2}/.test(t) || /^\d{1,2}[-./]\d{1,2}[-./]\d{4}$/.test(t)) { return false; } // dates
  if (isIPv4(t) || isValidUsSsn(t)) { return false; }
  return true;
}

const DETECTORS: readonly [PiiKind, (t: string) => boolean][] = [
  ['email', looksLikeEmail],
  ['payment-card', looksLikePaymentCard],
  ['iban', isValidIban],
  ['us-ssn', isValidUsSsn],
  ['ip-address', t => isIPv4(t) || isIPv6(t)],
  ['phone', looksLikePhone],
];

/** The kind of personal data a single value looks like, or null. */
export function detectPiiKind(text: string): PiiKind | null {
  const t = text.trim();
  for (const [kind, test] of DETECTORS) {
    if (test(t)) { return kind; }
  }
  return null;
}

// ---- per-column accumulation ---------------------------------------------------------------------------------

class ColumnState {
  checked = 0;
  readonly matches = new Float64Array(DETECTORS.length);
  readonly example = new Float64Array(DETECTORS.length).fill(-1);
  /** Detectors still looking at this column (bit i = DETECTORS[i]). */
  active = (1 << DETECTORS.length) - 1;
}

/** What a scanner counted per column (null: left out), to add up the scans of parts of one table. */
export type PiiState = ({ checked: number; matches: number[]; example: number[] } | null)[];

/** Streams values column by column and reports one finding per column whose values mostly look like one kind. */
export class PiiScanner {
  private readonly columns: (ColumnState | null)[];
  private readonly minShare: number;
  private readonly warmup: number;

  /** `skip[i]` true leaves column i out (e.g. a field marked `"strata:pii": "allowed"`). */
  constructor(columnCount: number, options: PiiOptions = {}, skip: readonly boolean[] = []) {
    this.columns = Array.from({ length: columnCount }, (_, i) => (skip[i] ? null : new ColumnState()));
    this.minShare = options.minShare ?? 0.5;
    this.warmup = options.warmup ?? 1000;
  }

  /** True while column `i` is still being looked at (callers may skip `add` otherwise). */
  wants(column: number): boolean {
    const st = this.columns[column];
    return st !== null && st !== undefined && st.active !== 0;
  }

  /** Adds one non-missing value of column `column` from data row `row`. */
  add(column: number, text: string, row: number): void {
    const st = this.columns[column];
    if (!st || st.active === 0) { return; }
    const t = text.length > 0 && (text.charCodeAt(0) === 32 || text.charCodeAt(text.length - 1) === 32) ? text.trim() : text;
    st.checked++;
    for (let k = 0; k < DETECTORS.length; k++) {
      if (!(st.active & (1 << k))) { continue; }
      if (DETECTORS[k][1](t)) {
        st.matches[k]++;
        if (st.example[k] < 0) { st.example[k] = row; }
        break; // one kind per value: the order of DETECTORS puts the stricter tests first
      }
    }
    if (st.checked === this.warmup) {
      for (let k = 0; k < DETECTORS.length; k++) {
        // a share this far below the threshold will not reach it: stop spending time on it
        if (st.matches[k] < st.checked * this.minShare * 0.1) { st.active &= ~(1 << k); }
      }
    }
  }

  /** The counts so far, as plain data. */
  state(): PiiState {
    return this.columns.map(st => (st ? { checked: st.checked, matches: [...st.matches], example: [...st.example] } : null));
  }

  /**
   * Adds the counts of a scan of a later part of the same table (its rows come after this scan's):
   * shares are taken over both, and an example row is the first found.
   */
  absorb(other: PiiState): void {
    other.forEach((o, i) => {
      const st = this.columns[i];
      if (!st || !o) { return; }
      st.checked += o.checked;
      for (let k = 0; k < DETECTORS.length; k++) {
        st.matches[k] += o.matches[k] ?? 0;
        if (st.example[k] < 0 && (o.example[k] ?? -1) >= 0) { st.example[k] = o.example[k]; }
      }
    });
  }

  /** One finding per column at most: the kind with the largest share, when it reaches the threshold. */
  findings(): PiiFinding[] {
    const out: PiiFinding[] = [];
    this.columns.forEach((st, column) => {
      if (!st || st.checked === 0) { return; }
      let best = -1;
      for (let k = 0; k < DETECTORS.length; k++) {
        if (st.matches[k] > 0 && (best < 0 || st.matches[k] > st.matches[best])) { best = k; }
      }
      if (best < 0) { return; }
      const share = st.matches[best] / st.checked;
      if (share < this.minShare) { return; }
      out.push({ column, kind: DETECTORS[best][0], share, matches: st.matches[best], checked: st.checked, exampleRow: st.example[best] });
    });
    return out;
  }
}

/** `about 98% of 1,204 values look like email addresses (e.g. row 3)`: the words of a finding. */
export function describePiiFinding(f: PiiFinding, rowNumber: (row: number) => number = r => r + 2): string {
  const pct = f.share >= 0.995 ? '100%' : `${Math.max(1, Math.round(f.share * 100))}%`;
  return `${pct} of ${f.checked.toLocaleString('en-US')} values look like ${PII_LABELS[f.kind]} (e.g. row ${rowNumber(f.exampleRow)}); ` +
    'mark the field "strata:pii": "allowed" in the schema if this is intended';
}

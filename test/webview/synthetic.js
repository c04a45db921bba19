// The synthetic dataset of the webview tests: 9 typed columns whose values are computed from the row index, for any number of rows.
// Loaded by the test page as a classic script (window.StrataSynthetic) and by the Node side with require().
(function (root) {
  'use strict';
  const CATS = ['alpha', 'beta', 'gamma', 'delta', 'epsilon'];
  const NAMES = ['Ada', 'Grace', 'Alan', 'Edsger', 'Barbara', 'Donald', 'Margaret'];
  const DAY = 86_400_000;
  const BASE_DATE = Date.UTC(2020, 0, 1);
  const XSS_IMG = '<img src=x onerror=alert(1)>';
  const XSS_SCRIPT = '<script>window.__xss = "script"</script>';

  const fields = [
    { name: 'id', type: 'integer', nullable: false, sourceType: 'INT32' },
    { name: 'name', type: 'string', nullable: false },
    { name: 'score', type: 'number', nullable: true, sourceType: 'DOUBLE' },
    { name: 'category', type: 'string', nullable: false },
    { name: 'active', type: 'boolean', nullable: false },
    { name: 'created', type: 'date', nullable: false },
    { name: 'amount', type: 'integer', nullable: false, sourceType: 'INT64' },
    { name: 'comment', type: 'string', nullable: true },
    { name: 'payload', type: 'json', nullable: false },
  ];

  /** The value of source row i (0-based) in field f: number | bigint | string | null. */
  function valueAt(i, f) {
    switch (f) {
      case 0: return i + 1;
      case 1: return `${NAMES[i % 7]} ${i + 1}`;
      case 2: return i % 11 === 3 ? null : ((i * 7919) % 10007) / 100 - 20;
      case 3: return CATS[i % 5];
      case 4: return i % 3 === 0 ? 1 : 0;
      case 5: return BASE_DATE + (i % 1461) * DAY;
      case 6: return BigInt(i) * 1000003n - 5000000n;
      case 7:
        if (i === 1) { return XSS_IMG; }
        if (i === 2) { return XSS_SCRIPT; }
        switch (i % 6) {
          case 0: return '';
          case 1: return null;
          case 2: return `Long comment for row ${i + 1}: ` + 'the quick brown fox jumps over the lazy dog '.repeat(4);
          case 3: return 'first line\nsecond line';
          case 4: return '   ';
          default: return `note ${i % 13}`;
        }
      case 8: return `{ "k": ${i % 7}, "tags": [${['"a"', '"b"', '"c"'].slice(0, i % 4).join(', ')}] }`;
    }
    return null;
  }

  /** Plain text of a value (ISO dates, true/false), as filters compare it. */
  function plainText(i, f) {
    const v = valueAt(i, f);
    if (v === null) { return ''; }
    if (f === 4) { return v ? 'true' : 'false'; }
    if (f === 5) { return new Date(v).toISOString().slice(0, 10); }
    return String(v);
  }

  const api = { CATS, NAMES, fields, valueAt, plainText, XSS_IMG, XSS_SCRIPT };
  root.StrataSynthetic = api;
  if (typeof module === 'object' && module.exports) { module.exports = api; }
})(typeof window !== 'undefined' ? window : globalThis);

// Plays the extension host for the diff panel inside a plain page: answers `ready` with `init`, then a
// synthetic diff. Options from the page URL: changed=N (changed rows, default 40), xss (hostile values
// and names), hold (only progress until the test calls __host.finish()), fail (an error instead).
(function () {
  'use strict';
  const params = new URLSearchParams(location.search);
  const CHANGED = params.has('changed') ? Number(params.get('changed')) : 40;
  const XSS = params.has('xss');
  const XSS_IMG = '<img src=x onerror="window.__xss=1">';
  const XSS_SCRIPT = '<script>window.__xss=2</script>';

  const columns = [
    { name: 'id', status: 'common', typeBefore: 'integer', typeAfter: 'integer', changedCells: 0, drift: drift('numeric', 0.0001, 0.002, false) },
    { name: XSS ? XSS_IMG : 'name', status: 'common', typeBefore: 'string', typeAfter: 'string', changedCells: 0, drift: drift('categorical', 0.01, null, false) },
    { name: 'amount', status: 'common', typeBefore: 'number', typeAfter: 'number', changedCells: CHANGED, drift: drift('numeric', 0.31, 0.22, true) },
    { name: 'email', status: 'added', typeBefore: null, typeAfter: 'string', changedCells: 0, drift: null },
  ];

  function drift(kind, psi, ks, drifted) {
    const stats = (mean) => ({ rows: 100, missing: 2, missingShare: 0.02, distinct: 90, distinctApprox: false, mean, std: 3, min: 0, max: 10, quantiles: kind === 'numeric' ? { p5: 1, p25: 2, p50: mean, p75: 7, p95: 9 } : null });
    return {
      kind, before: stats(kind === 'numeric' ? 5 : null), after: stats(kind === 'numeric' ? 6 : null), psi, ks, drifted,
      histogram: { labels: ['≤ 1', '1 – 5', '> 5', 'missing'], before: [0.1, 0.4, 0.48, 0.02], after: [0.05, 0.3, 0.63, 0.02] },
    };
  }

  const changes = [];
  for (let i = 0; i < CHANGED; i++) {
    const name = XSS && i === 0 ? XSS_SCRIPT : `name ${i}`;
    changes.push({ type: 'changed', rowA: i * 2, rowB: i * 2, key: [String(i)], values: [String(i), name, String(i * 10 + 1), `u${i}@example.com`], changed: [2], old: [XSS && i === 0 ? XSS_IMG : String(i * 10)] });
  }
  changes.push({ type: 'removed', rowA: CHANGED * 2, rowB: null, key: [String(CHANGED)], values: [String(CHANGED), XSS ? XSS_IMG : 'gone', '7', null] });
  changes.push({ type: 'added', rowA: null, rowB: CHANGED * 2 + 1, key: [String(CHANGED + 1)], values: [String(CHANGED + 1), 'new one', null, 'n@example.com'] });

  const diff = {
    diffVersion: 1,
    a: { label: 'events.csv @ HEAD', exists: true, format: 'csv', rows: CHANGED * 2 + 1, columns: 3 },
    b: { label: 'events.csv', exists: true, format: 'csv', rows: CHANGED * 2 + 1, columns: 4 },
    identical: false,
    key: { columns: ['id'], source: 'detected', note: "detected: 'id' is present and unique in both versions" },
    schema: { rowsBefore: CHANGED * 2 + 1, rowsAfter: CHANGED * 2 + 1, columnsBefore: 3, columnsAfter: 4, added: ['email'], removed: [], renamed: [], reordered: [], typeChanged: [], formatChanged: [{ name: 'amount', type: 'number', from: '1234.5', to: '1.234,5' }] },
    rows: { added: 1, removed: 1, changed: CHANGED, unchanged: CHANGED },
    columns,
    duplicateKeys: null,
    changes,
    omitted: { added: 0, removed: 0, changed: 0, unchanged: CHANGED },
    epsilon: 0,
    thresholds: { psi: 0.2, ks: 0.1 },
    warnings: XSS ? [XSS_SCRIPT] : [],
    partitions: 1,
    elapsedMs: 12,
  };

  const request = { a: { path: '/w/events.csv', rev: 'HEAD', label: 'events.csv @ HEAD' }, b: { path: '/w/events.csv', label: 'events.csv' } };
  const saved = sessionStorage.getItem('strata-diff-test-state');
  const host = {
    posted: [],
    cspViolations: [],
    state: saved ? JSON.parse(saved) : undefined,
    diff,
    send(m) { window.postMessage(m, '*'); },
    finish() { host.send({ type: 'result', diff }); },
  };
  window.__host = host;
  document.addEventListener('securitypolicyviolation', e => host.cspViolations.push(`${e.violatedDirective}: ${e.blockedURI}`));

  function run() {
    host.send({ type: 'progress', fraction: null, label: 'Planning…' });
    host.send({ type: 'progress', fraction: 0.4, label: 'Reading both versions… 40%' });
    if (params.has('hold')) { return; }
    if (params.has('fail')) { host.send({ type: 'error', message: XSS ? XSS_IMG : 'events.csv@HEAD: no such file' }); return; }
    host.finish();
  }

  window.acquireVsCodeApi = function () {
    return {
      postMessage(m) {
        host.posted.push(m);
        if (m.type === 'ready') {
          host.send({ type: 'init', title: XSS ? XSS_IMG : 'events.csv: HEAD ↔ working copy', request });
          run();
        } else if (m.type === 'cancel') {
          host.send({ type: 'cancelled' });
        } else if (m.type === 'rerun') {
          run();
        }
      },
      getState() { return host.state; },
      setState(s) { host.state = s; sessionStorage.setItem('strata-diff-test-state', JSON.stringify(s)); },
    };
  };
})();

// Plays the extension host inside a plain page: a fake acquireVsCodeApi answering the preview's requests from a synthetic dataset.
// Needs synthetic.js first. Options come from the page URL: rows=N (default 100,000,000), holdViews, holdProfile, fail, reveal, title, schema,
// noFirstRows (init comes without the first page of rows, which the extension host sends when it could read them).
(function () {
  'use strict';
  const params = new URLSearchParams(location.search);
  const N = params.has('rows') ? Number(params.get('rows')) : 100_000_000;
  const { CATS, fields, valueAt, plainText: display, XSS_IMG, XSS_SCRIPT } = window.StrataSynthetic;

  const encoder = new TextEncoder();

  function column(f, sources) {
    const n = sources.length;
    const valid = new Uint8Array(n);
    const kind = f === 6 ? 'bigint' : [1, 3, 7, 8].includes(f) ? 'text' : 'number';
    if (kind === 'number') {
      const values = new Float64Array(n);
      sources.forEach((i, k) => { const v = valueAt(i, f); if (v !== null) { values[k] = v; valid[k] = 1; } });
      return { kind, values, valid };
    }
    if (kind === 'bigint') {
      const values = new BigInt64Array(n);
      sources.forEach((i, k) => { values[k] = valueAt(i, f); valid[k] = 1; });
      return { kind, values, valid };
    }
    const parts = [];
    const offsets = new Uint32Array(n + 1);
    let used = 0;
    sources.forEach((i, k) => {
      const v = valueAt(i, f);
      if (v !== null) { const b = encoder.encode(v); parts.push(b); used += b.length; valid[k] = 1; }
      offsets[k + 1] = used;
    });
    const bytes = new Uint8Array(used);
    let at = 0;
    for (const p of parts) { bytes.set(p, at); at += p.length; }
    return { kind, bytes, offsets, valid };
  }

  // ---- views -------------------------------------------------------------------------------

  function matches(i, c) {
    const v = valueAt(i, c.field);
    switch (c.op) {
      case 'missing': return v === null;
      case 'present': return v !== null;
      case 'equals': return v !== null && display(i, c.field) === c.value;
      case 'contains': return v !== null && display(i, c.field).toLowerCase().includes(c.value.toLowerCase());
      case 'range': {
        if (v === null) { return false; }
        const x = typeof v === 'bigint' ? Number(v) : typeof v === 'number' ? v : Number(v);
        return (c.min === undefined || x >= Number(c.min)) && (c.max === undefined || x <= Number(c.max));
      }
    }
    return false;
  }

  /** A view over N rows as { count, at(p) }; analytic for the cases tests use at 100M rows, brute force when small. */
  const compiled = new Map();

  function compileView(view) {
    const key = JSON.stringify(view);
    if (!compiled.has(key)) { compiled.set(key, compileViewUncached(view)); }
    return compiled.get(key);
  }

  function compileViewUncached(view) {
    const sort = view.sort || [];
    const cols = (view.filter && view.filter.columns) || [];
    const search = (view.filter && view.filter.search) || '';
    if (!sort.length && !cols.length && !search) { return { count: N, at: p => p }; }
    const idDesc = sort.length === 1 && sort[0].field === 0 && sort[0].direction === 'desc';
    const idAsc = sort.length === 1 && sort[0].field === 0 && sort[0].direction === 'asc';
    if (!search && (sort.length === 0 || idAsc || idDesc)) {
      let step = 1;
      let first = 0;
      let ok = true;
      if (cols.length === 1 && cols[0].field === 3 && cols[0].op === 'equals') {
        step = 5;
        first = CATS.indexOf(cols[0].value);
        if (first < 0) { return { count: 0, at: p => p }; }
      } else if (cols.length === 1 && cols[0].field === 2 && cols[0].op === 'missing') {
        step = 11;
        first = 3;
      } else if (cols.length) {
        ok = false;
      }
      if (ok) {
        const count = N > first ? Math.floor((N - 1 - first) / step) + 1 : 0;
        const last = first + step * (count - 1);
        return { count, at: idDesc ? p => last - step * p : p => first + step * p };
      }
    }
    if (N > 200_000) { return null; }
    const keep = [];
    const needle = search.toLowerCase();
    for (let i = 0; i < N; i++) {
      if (!cols.every(c => matches(i, c))) { continue; }
      if (needle && !fields.some((_, f) => display(i, f).toLowerCase().includes(needle))) { continue; }
      keep.push(i);
    }
    if (sort.length) {
      keep.sort((a, b) => {
        for (const k of sort) {
          const va = valueAt(a, k.field);
          const vb = valueAt(b, k.field);
          if (va === vb) { continue; }
          if (va === null) { return 1; }
          if (vb === null) { return -1; }
          const d = va < vb ? -1 : 1;
          return k.direction === 'asc' ? d : -d;
        }
        return a - b;
      });
    }
    return { count: keep.length, at: p => keep[p] };
  }

  // ---- profile -----------------------------------------------------------------------------

  function quantile(sorted, q) {
    if (!sorted.length) { return null; }
    const pos = (sorted.length - 1) * q;
    const lo = Math.floor(pos);
    const hi = Math.ceil(pos);
    return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
  }

  function histogram(values, bins) {
    if (!values.length) { return { edges: [], counts: [] }; }
    const min = values[0];
    const max = values[values.length - 1];
    const width = (max - min) / bins || 1;
    const edges = Array.from({ length: bins + 1 }, (_, k) => min + k * width);
    const counts = new Array(bins).fill(0);
    for (const v of values) { counts[Math.min(bins - 1, Math.floor((v - min) / width))]++; }
    return { edges, counts };
  }

  function pattern(s) {
    return s.replace(/[A-Z]+/g, 'A').replace(/[a-z]+/g, 'a').replace(/[0-9]+/g, '9');
  }

  function topCounts(map, k) {
    return [...map.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, k).map(([value, count]) => ({ value, count }));
  }

  function profileOf(rows, sample) {
    const started = performance.now();
    const columnProfiles = fields.map((field, f) => {
      let missing = 0;
      const distinct = new Map();
      const nums = [];
      for (let i = 0; i < rows; i++) {
        const v = valueAt(i, f);
        if (v === null) { missing++; continue; }
        const key = typeof v === 'bigint' ? v.toString() : display(i, f);
        distinct.set(key, (distinct.get(key) || 0) + 1);
        if (typeof v === 'number' || typeof v === 'bigint') { nums.push(Number(v)); }
      }
      const count = rows - missing;
      const p = {
        field: f, name: field.name, inferredType: field.type, count, missing, distinct: distinct.size,
        distinctApprox: sample, typeConsistency: f === 7 ? 0.92 : 1, alerts: [],
        top: topCounts(distinct, 10), topApprox: sample,
      };
      if (field.type === 'integer' || field.type === 'number') {
        nums.sort((a, b) => a - b);
        const mean = nums.reduce((s, v) => s + v, 0) / (nums.length || 1);
        const std = Math.sqrt(nums.reduce((s, v) => s + (v - mean) ** 2, 0) / Math.max(1, nums.length - 1));
        const q1 = quantile(nums, 0.25);
        const q3 = quantile(nums, 0.75);
        const lower = q1 - 1.5 * (q3 - q1);
        const upper = q3 + 1.5 * (q3 - q1);
        p.number = {
          min: nums[0] ?? null, max: nums[nums.length - 1] ?? null, mean, std, sum: nums.reduce((s, v) => s + v, 0),
          quantiles: { p1: quantile(nums, 0.01), p5: quantile(nums, 0.05), p25: q1, p50: quantile(nums, 0.5), p75: q3, p95: quantile(nums, 0.95), p99: quantile(nums, 0.99) },
          quantilesApprox: sample, zeros: nums.filter(v => v === 0).length, negatives: nums.filter(v => v < 0).length, infinite: 0,
          histogram: histogram(nums, 24), outliers: { count: nums.filter(v => v < lower || v > upper).length, lower, upper },
        };
        if (distinct.size === count) { p.alerts.push('UNIQUE'); }
      } else if (field.type === 'date') {
        nums.sort((a, b) => a - b);
        const months = new Map();
        for (const v of nums) { const k = new Date(v).toISOString().slice(0, 7); months.set(k, (months.get(k) || 0) + 1); }
        p.date = {
          min: nums.length ? new Date(nums[0]).toISOString().slice(0, 10) : null,
          max: nums.length ? new Date(nums[nums.length - 1]).toISOString().slice(0, 10) : null,
          period: 'month', histogram: [...months.entries()].map(([start, c]) => ({ start, count: c })), gaps: { count: 0, largest: null },
        };
      } else if (field.type !== 'boolean') {
        let minL = Infinity; let maxL = 0; let sumL = 0; let empty = 0; let ws = 0;
        const patterns = new Map();
        for (const [s, c] of distinct) {
          minL = Math.min(minL, s.length); maxL = Math.max(maxL, s.length); sumL += s.length * c;
          if (s === '') { empty += c; } else if (!s.trim()) { ws += c; }
          const pt = pattern(s);
          patterns.set(pt, (patterns.get(pt) || 0) + c);
        }
        p.string = {
          minLength: count ? minL : null, maxLength: count ? maxL : null, meanLength: count ? sumL / count : null,
          patterns: topCounts(patterns, 6), empty, whitespace: ws,
        };
        if (missing / Math.max(1, rows) > 0.1) { p.alerts.push('MISSING'); }
        if (distinct.size > 0.5 * count) { p.alerts.push('HIGH_CARDINALITY'); }
      }
      return p;
    });
    const cells = rows * fields.length;
    const missingCells = columnProfiles.reduce((s, c) => s + c.missing, 0);
    const byMissing = [...columnProfiles].filter(c => c.missing > 0).sort((a, b) => b.missing - a.missing).map(c => c.name);
    return {
      sample, rowsProfiled: rows, rows: { value: N, exact: true }, columns: fields.length, duplicateRows: 0,
      memoryBytes: N * 96, columnProfiles, elapsedMs: Math.max(1, performance.now() - started) + (sample ? 0 : 4200),
      quality: {
        completeness: { score: cells ? 1 - missingCells / cells : null, measured: 'non-missing cells / all cells', worstColumns: byMissing },
        uniqueness: { score: 1, measured: 'rows that are not duplicates of an earlier row', worstColumns: [] },
        validity: { score: null, measured: 'not assessed: no Table Schema for this file', worstColumns: [] },
        consistency: { score: 0.9911, measured: 'values that parse as their column\'s inferred type', worstColumns: ['comment'] },
        timeliness: { score: 0.75, measured: 'rows with created within 3 years of the newest value', worstColumns: ['created'] },
        accuracy: { score: null, measured: 'not assessed: no schema constraints or reference data', worstColumns: [] },
      },
    };
  }

  // ---- the host ----------------------------------------------------------------------------

  /** Rows [start, start + count) of view `v` as a column batch, with the buffers to transfer. */
  function batchOf(v, start, count, fieldIndexes) {
    const end = Math.min(v.count, start + count);
    const sources = [];
    for (let p = start; p < end; p++) { sources.push(v.at(p)); }
    const columns = fieldIndexes.map(f => column(f, sources));
    const transfer = [];
    for (const c of columns) { transfer.push(c.valid.buffer, c.kind === 'text' ? c.bytes.buffer : c.values.buffer); if (c.kind === 'text') { transfer.push(c.offsets.buffer); } }
    return { batch: { rowStart: start, rowCount: sources.length, fieldIndexes, columns }, sources, transfer };
  }

  const savedState = sessionStorage.getItem('strata-test-state');
  const host = {
    N, fields, valueAt, XSS_IMG, XSS_SCRIPT,
    received: [],
    held: new Map(),
    state: savedState ? JSON.parse(savedState) : undefined,
    fileVersion: 1,
    lastProfile: null,
    cspViolations: [],
    send(message, transfer) { window.postMessage(message, '*', transfer || []); },
    /** Answers a held view or profile request. */
    release(requestId) {
      const h = host.held.get(requestId);
      if (h) { host.held.delete(requestId); h(); }
    },
    init(type) {
      // like the extension host: the first page (200 rows, the first 48 fields) comes with the first init
      const firstRows = type === 'init' && !params.has('noFirstRows') ? batchOf(compileView({}), 0, Math.min(200, N), fields.slice(0, 48).map((_, f) => f)) : undefined;
      host.send({
        type, title: params.get('title') || 'synthetic.parquet', format: 'parquet', fields, rowCount: { value: N, exact: true },
        fileVersion: host.fileVersion, canRevealRows: params.has('reveal'),
        ...(params.has('warn') ? { warnings: ['Line 12: 3 fields where 9 were expected'] } : {}),
        ...(params.has('schema') ? { schemaSource: params.get('schema') } : {}),
        ...(params.has('reading') ? { format: 'csv', reading: JSON.parse(params.get('reading')) } : {}),
        ...(firstRows ? { firstRows: firstRows.batch } : {}),
      }, firstRows?.transfer);
    },
  };
  window.__host = host;
  window.alert = () => { window.__xss = 'alert'; };
  document.addEventListener('securitypolicyviolation', e => host.cspViolations.push(`${e.violatedDirective}: ${e.blockedURI}`));

  function onMessage(m) {
    host.received.push(m);
    switch (m.type) {
      case 'ready':
        if (params.has('fail')) { host.send({ type: 'error', message: 'Not a Parquet file: the magic bytes PAR1 are missing.' }); return; }
        host.init('init');
        return;
      case 'rows': {
        const v = compileView(m.view);
        if (!v) { host.send({ type: 'error', requestId: m.requestId, message: 'view not computed' }); return; }
        const { batch, sources, transfer } = batchOf(v, m.start, m.count, m.columns || fields.map((_, f) => f));
        const natural = !(m.view.sort && m.view.sort.length) && !(m.view.filter && (m.view.filter.columns.length || m.view.filter.search));
        const msg = { type: 'rows', requestId: m.requestId, batch };
        if (!natural) { msg.sourceRows = Float64Array.from(sources); transfer.push(msg.sourceRows.buffer); }
        host.send(msg, transfer);
        return;
      }
      case 'view': {
        const v = compileView(m.view);
        host.send({ type: 'progress', requestId: m.requestId, fraction: 0.5, label: `Scanning ${(N / 2).toLocaleString('en-US')} of ${N.toLocaleString('en-US')} rows` });
        const answer = () => host.send(v ? { type: 'viewReady', requestId: m.requestId, rowCount: v.count } : { type: 'error', requestId: m.requestId, message: `The test host cannot compute this view over ${N} rows.` });
        if (params.has('holdViews')) { host.held.set(m.requestId, answer); } else { setTimeout(answer, 0); }
        return;
      }
      case 'profile': {
        const quick = profileOf(Math.min(N, 10_000), true);
        host.lastProfile = quick;
        host.send({ type: 'profile', requestId: m.requestId, profile: quick });
        if (!m.full) { return; }
        host.send({ type: 'progress', requestId: m.requestId, fraction: 0.3, label: 'Profiling' });
        const answer = () => { const full = profileOf(Math.min(N, 200_000), false); host.lastProfile = full; host.send({ type: 'profile', requestId: m.requestId, profile: full }); };
        if (params.has('holdProfile')) { host.held.set(m.requestId, answer); } else { setTimeout(answer, 0); }
        return;
      }
      case 'cancel':
        if (host.held.delete(m.requestId)) { host.send({ type: 'cancelled', requestId: m.requestId }); }
        return;
      default:
        return;
    }
  }

  window.acquireVsCodeApi = function () {
    return {
      postMessage(m) { const copy = structuredClone(m); setTimeout(() => onMessage(copy), 0); },
      getState() { return host.state; },
      setState(s) { host.state = s; sessionStorage.setItem('strata-test-state', JSON.stringify(s)); },
    };
  };
})();

// Quantiles of values with counts, by linear interpolation between the closest ranks: Hyndman & Fan's type 7,
// the default of numpy's `quantile` and pandas' `Series.quantile` (the median of 1..20 is 10.5).

/**
 * The q-quantile of ascending distinct `values` whose cumulative counts are `cum` (the last is the total): the value
 * at 0-based rank h = (total − 1)·q, interpolated between ranks ⌊h⌋ and ⌈h⌉; null when there are no values.
 */
export function rankQuantile(values: Float64Array, cum: Float64Array, q: number): number | null {
  const total = cum.length === 0 ? 0 : cum[cum.length - 1];
  if (total === 0) { return null; }
  const h = Math.max(0, total - 1) * q;
  const k = Math.floor(h);
  const below = valueAtRank(values, cum, k);
  if (h === k) { return below; }
  const above = valueAtRank(values, cum, k + 1);
  return below + (h - k) * (above - below);
}

/** The value at 0-based rank `k`: the first whose cumulative count exceeds k (the last for ranks beyond). */
function valueAtRank(values: Float64Array, cum: Float64Array, k: number): number {
  let lo = 0, hi = cum.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cum[mid] > k) { hi = mid; } else { lo = mid + 1; }
  }
  return values[lo];
}

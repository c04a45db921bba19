import { describe, expect, it } from 'vitest';
import { DateCounter, periodLabel } from '../../../src/core/profile/dateCounter';

const day = (s: string): number => Date.parse(s);

describe('DateCounter', () => {
  it('histograms by day over a short range, with gaps as runs of empty days', () => {
    const d = new DateCounter('day');
    for (const s of ['2024-01-01', '2024-01-01', '2024-01-02', '2024-01-06', '2024-01-07', '2024-01-09']) { d.add(day(s)); }
    const h = d.histogram()!;
    expect(h.unit).toBe('day');
    expect(h.bins.map(b => b.count)).toEqual([2, 1, 0, 0, 0, 1, 1, 0, 1]);
    expect(h.bins[0].start).toBe('2024-01-01');
    expect(d.gaps()).toEqual({ unit: 'day', count: 4, largest: { from: '2024-01-03', to: '2024-01-05', periods: 3 } });
  });

  it('picks months for a multi-year range and years for a long one', () => {
    const d = new DateCounter('day');
    for (let y = 2015; y < 2025; y++) { for (let m = 0; m < 12; m++) { d.add(Date.UTC(y, m, 15)); } }
    const h = d.histogram()!;
    expect(h.unit).toBe('month');
    expect(h.bins).toHaveLength(120);
    expect(h.bins[0]).toEqual({ start: '2015-01', count: 1 });
    const long = new DateCounter('day');
    long.add(Date.UTC(1900, 0, 1));
    long.add(Date.UTC(2000, 5, 1));
    expect(long.histogram()!.unit).toBe('year');
  });

  it('coarsens past its bound and merges at the coarser unit', () => {
    const a = new DateCounter('day', 50);
    for (let i = 0; i < 400; i++) { a.add(Date.UTC(2020, 0, 1) + i * 86400000); }
    expect(a.unit).toBe('month');
    const b = new DateCounter('day', 50);
    b.add(Date.UTC(2021, 5, 3));
    b.add(Date.UTC(2021, 5, 4));
    const m = DateCounter.fromState(structuredClone(a.toState()));
    m.merge(b);
    expect(m.unit).toBe('month');
    const h = m.histogram()!;
    expect(h.bins.reduce((s, x) => s + x.count, 0)).toBe(402);
    expect(h.bins.find(x => x.start === '2021-06')!.count).toBe(2);
  });

  it('labels periods of years outside 0000-9999, also beyond Date\'s range, with the whole signed year', () => {
    expect(periodLabel(290000, 'year')).toBe('+290000');
    expect(periodLabel(290000 * 12 + 11, 'month')).toBe('+290000-12');
    expect(periodLabel(-4128, 'year')).toBe('-004128');
    expect(periodLabel(2024, 'year')).toBe('2024');
    expect(periodLabel(105_201_161, 'day')).toBe('+290000-12-30');
    expect(periodLabel(105_201_161 * 24 + 23, 'hour')).toBe('+290000-12-30T23:00:00.000Z');
    const d = new DateCounter('day');
    d.add(Date.UTC(2024, 0, 1));
    d.add(9_089_380_393_200_000); // +290000-12-30T23:00:00Z
    const h = d.histogram()!;
    expect(h.unit).toBe('year');
    expect([h.bins[0].start, h.bins[h.bins.length - 1].start]).toEqual(['2024', '+290000']);
    expect(d.gaps()!.largest).toEqual({ from: '2025', to: '+289999', periods: 287975 });
  });
});

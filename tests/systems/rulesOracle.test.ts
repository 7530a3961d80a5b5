import { describe, expect, it } from 'vitest';
import { isConcerning } from './rulesOracle.js';

/** The oracle's early-warning rule, checked on hand-made absence so the population checks can trust it. */
describe('rules oracle: concerning absence', () => {
  const asOf = '2026-11-01';
  it('finds 5 consecutive school days, also across a weekend', () => {
    expect(isConcerning(['2026-09-07', '2026-09-08', '2026-09-09', '2026-09-10', '2026-09-11'], asOf)).toBe(true);
    expect(isConcerning(['2026-09-10', '2026-09-11', '2026-09-14', '2026-09-15', '2026-09-16'], asOf)).toBe(true);
    expect(isConcerning(['2026-09-07', '2026-09-08', '2026-09-09', '2026-09-10'], asOf)).toBe(false);
    expect(isConcerning(['2026-09-07', '2026-09-08', '2026-09-09', '2026-09-10', '2026-09-15'], asOf)).toBe(false);
  });

  it('finds 7 within 20 school days', () => {
    // Mondays and Thursdays: 7 days within 4 weeks (20 school days)
    const days = ['2026-09-07', '2026-09-10', '2026-09-14', '2026-09-17', '2026-09-21', '2026-09-24', '2026-09-28'];
    expect(isConcerning(days, asOf)).toBe(true);
    // the same 7 Mondays spread over 7 weeks (31 school days)
    const mondays = ['2026-08-17', '2026-08-24', '2026-08-31', '2026-09-07', '2026-09-14', '2026-09-21', '2026-09-28'];
    expect(isConcerning(mondays, asOf)).toBe(false);
  });

  it('finds 15 within 60 school days', () => {
    const fifteen: string[] = [];
    for (let week = 0; week < 12; week++) {
      const monday = new Date(Date.UTC(2026, 7, 10 + week * 7));
      const pick = week % 4 === 0 ? [0, 2] : [0];
      for (const offset of pick) fifteen.push(new Date(monday.getTime() + offset * 86_400_000).toISOString().slice(0, 10));
    }
    // 12 Mondays + 3 Wednesdays = 15 days within 12 weeks (60 school days), at most 6 within any 20
    expect(fifteen).toHaveLength(15);
    expect(isConcerning(fifteen, asOf)).toBe(true);
    expect(isConcerning(fifteen.slice(1), asOf)).toBe(false);
  });

  it('ignores days after asOf', () => {
    expect(isConcerning(['2026-11-02', '2026-11-03', '2026-11-04', '2026-11-05', '2026-11-06'], asOf)).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import {
  SuppressionTable,
  countRange,
  isSmallCount,
  roundDown,
  shareOf,
  suppress,
  type CellInput,
  type Equation,
} from '../../subgraphs/coordination/reporting/suppression.js';

/**
 * The suppression pattern of a table, by key: the cell's count where shown, '<5' where suppressed. The
 * count is the true one, before rounding (published counts are rounded down to a multiple of 5; the
 * rounding has its own tests below), so that these tests read as the tables they describe.
 */
function published(cells: readonly CellInput[], equations: readonly Equation[]): Record<string, number | '<5'> {
  const result = suppress(cells, equations);
  return Object.fromEntries(cells.map(({ key, value }) => [key, result.cell(key).suppressed ? '<5' : value]));
}

function cells(values: Record<string, number>): CellInput[] {
  return Object.entries(values).map(([key, value]) => ({ key, value }));
}

/**
 * The attacker's check: with the published cells known, can any suppressed cell be solved from one
 * equation alone? (Exactly one unknown in an equation.)
 */
function recoverableFromOneEquation(cellsIn: readonly CellInput[], equations: readonly Equation[]): string[] {
  const result = suppress(cellsIn, equations);
  return equations.flatMap((eq) => {
    const hidden = [eq.total, ...eq.parts].filter((key) => result.cell(key).suppressed);
    return hidden.length === 1 ? hidden : [];
  });
}

describe('small counts', () => {
  it('1-4 are small; 0 and 5 are not', () => {
    expect([0, 1, 2, 3, 4, 5, 100].map(isSmallCount)).toEqual([false, true, true, true, true, false, false]);
  });

  it('hides every count of 1-4 and shows 0 and 5 and up (no equations)', () => {
    expect(published(cells({ a: 0, b: 1, c: 4, d: 5, e: 1234 }), [])).toEqual({ a: 0, b: '<5', c: '<5', d: 5, e: 1234 });
  });

  it('publishes a suppressed cell as value null with suppressed true', () => {
    const result = suppress(cells({ a: 3, b: 7 }));
    expect(result.cell('a')).toEqual({ value: null, suppressed: true });
    expect(result.cell('b')).toEqual({ value: 5, suppressed: false }); // 7, rounded down
    expect(result.reason('a')).toBe('PRIMARY');
    expect(result.reason('b')).toBeNull();
  });
});

describe('complementary suppression in a breakdown with its total', () => {
  it('a single small cell next to a published total forces a second suppression: the next-smallest cell', () => {
    const table = cells({ total: 120, a: 3, b: 50, c: 12, d: 55 });
    const eq = [{ total: 'total', parts: ['a', 'b', 'c', 'd'] }];
    expect(published(table, eq)).toEqual({ total: 120, a: '<5', b: 50, c: '<5', d: 55 });
    const result = suppress(table, eq);
    expect(result.reason('a')).toBe('PRIMARY');
    expect(result.reason('c')).toBe('SECONDARY');
    expect(recoverableFromOneEquation(table, eq)).toEqual([]);
  });

  it('two small cells need nothing more', () => {
    const table = cells({ total: 107, a: 3, b: 2, c: 50, d: 52 });
    const eq = [{ total: 'total', parts: ['a', 'b', 'c', 'd'] }];
    expect(published(table, eq)).toEqual({ total: 107, a: '<5', b: '<5', c: 50, d: 52 });
    expect(suppress(table, eq).suppressedKeys()).toEqual(['a', 'b']);
  });

  it('prefers a non-zero cell as the complement: hiding a 0 would leave the small one readable in practice', () => {
    const table = cells({ total: 33, a: 3, zero: 0, b: 10, c: 20 });
    expect(published(table, [{ total: 'total', parts: ['a', 'zero', 'b', 'c'] }])).toEqual({ total: 33, a: '<5', zero: 0, b: '<5', c: 20 });
  });

  it('falls back to a 0 when it is the only other part', () => {
    const table = cells({ total: 3, a: 3, zero: 0 });
    // The total is small itself (primary): two hidden, nothing more to do.
    expect(published(table, [{ total: 'total', parts: ['a', 'zero'] }])).toEqual({ total: '<5', a: '<5', zero: 0 });
  });

  it('hides the total when it is the only cell left to hide', () => {
    const table = cells({ total: 43, a: 3, b: 40 });
    // Two parts: hiding b (40) is smaller than the total (43).
    expect(published(table, [{ total: 'total', parts: ['a', 'b'] }])).toEqual({ total: 43, a: '<5', b: '<5' });
    const single = cells({ total: 3, only: 3 });
    expect(published(single, [{ total: 'total', parts: ['only'] }])).toEqual({ total: '<5', only: '<5' });
  });

  it('breaks ties between equal cells by order, parts before the total', () => {
    const table = cells({ total: 23, a: 3, b: 10, c: 10 });
    expect(published(table, [{ total: 'total', parts: ['a', 'b', 'c'] }])).toEqual({ total: 23, a: '<5', b: '<5', c: 10 });
  });

  it('a suppressed total with one small part hides a second part', () => {
    // total 4 (small) = 0 + 4: both hidden, fine. total 4 = 4 + 0 + 0 as well.
    expect(published(cells({ total: 4, a: 4, b: 0 }), [{ total: 'total', parts: ['a', 'b'] }])).toEqual({ total: '<5', a: '<5', b: 0 });
    // A small total whose parts are all 0 except one small part: two hidden cells.
    expect(recoverableFromOneEquation(cells({ total: 2, a: 0, b: 2, c: 0 }), [{ total: 'total', parts: ['a', 'b', 'c'] }])).toEqual([]);
  });

  it('a total hidden by another table is protected within its own breakdown', () => {
    // Upper table: grand = sub + other; sub is 4 (small). Lower: sub = x + y with x = 0, y = 4.
    const table = cells({ grand: 100, sub: 4, other: 96, x: 0, y: 4 });
    const eqs = [
      { total: 'grand', parts: ['sub', 'other'] },
      { total: 'sub', parts: ['x', 'y'] },
    ];
    expect(published(table, eqs)).toEqual({ grand: 100, sub: '<5', other: '<5', x: 0, y: '<5' });
    expect(recoverableFromOneEquation(table, eqs)).toEqual([]);
  });

  it('repeats until stable: a complement hidden in one table opens another', () => {
    // total = a + b + c; b = b1 + b2. a is small, so b (the next smallest) is hidden; then b's own
    // breakdown has one hidden cell (b) and needs a second: b1.
    const table = cells({ total: 58, a: 2, b: 16, c: 40, b1: 6, b2: 10 });
    const eqs = [
      { total: 'total', parts: ['a', 'b', 'c'] },
      { total: 'b', parts: ['b1', 'b2'] },
    ];
    expect(published(table, eqs)).toEqual({ total: 58, a: '<5', b: '<5', c: 40, b1: '<5', b2: 10 });
    expect(recoverableFromOneEquation(table, eqs)).toEqual([]);
  });

  it('never hides a fixed cell and never uses one as the complement', () => {
    const table: CellInput[] = [
      { key: 'funded', value: 60, fixed: true },
      { key: 'within', value: 60, fixed: true },
      { key: 'over', value: 3 },
      { key: 'active', value: 63 },
    ];
    const eqs = [{ total: 'active', parts: ['within', 'over'] }];
    expect(published(table, eqs)).toEqual({ funded: 60, within: 60, over: '<5', active: '<5' });
    // A fixed small value is public knowledge: shown.
    expect(published([{ key: 'limit', value: 3, fixed: true }], [])).toEqual({ limit: 3 });
  });

  it('refuses tables that do not add up, unknown keys, duplicates and non-counts', () => {
    expect(() => suppress(cells({ t: 10, a: 3 }), [{ total: 't', parts: ['a'] }])).toThrow(/does not add up/);
    expect(() => suppress(cells({ t: 3 }), [{ total: 't', parts: ['nope'] }])).toThrow(/no cell "nope"/);
    expect(() =>
      suppress([
        { key: 'a', value: 1 },
        { key: 'a', value: 2 },
      ]),
    ).toThrow(/twice/);
    expect(() => suppress([{ key: 'a', value: -1 }])).toThrow(/not a count/);
    expect(() => suppress([{ key: 'a', value: 1.5 }])).toThrow(/not a count/);
    expect(() => suppress(cells({ a: 1 })).cell('b')).toThrow(/no cell/);
  });
});

describe('a cross-tab with row and column totals', () => {
  //            ON_TIME LATE MISSING | total
  //  16½            20    3      10 |    33
  //  17             15    8       9 |    32
  //  18             30    6      12 |    48
  //  total          65   17      31 |   113
  const values: Record<string, Record<string, number>> = {
    r1: { c1: 20, c2: 3, c3: 10 },
    r2: { c1: 15, c2: 8, c3: 9 },
    r3: { c1: 30, c2: 6, c3: 12 },
  };
  const rows = ['r1', 'r2', 'r3'];
  const columns = ['c1', 'c2', 'c3'];

  it('hides the small cell, a second cell in its row and in its column, and a fourth to close the rectangle', () => {
    const table = new SuppressionTable();
    const { key } = table.crossTab('t', rows, columns, (r, c) => values[r]![c]!);
    const result = table.run();
    const truth = new Map(table.cells.map((cell) => [cell.key, cell.value]));
    const grid = (r: string) => [...columns, 'total'].map((c) => (result.cell(key(r, c)).suppressed ? '<5' : truth.get(key(r, c))));
    // Row r1: the next-smallest is r1c3 (10). Column c2: the next-smallest is r3c2 (6). Column c3 then
    // has r1c3 alone: r3c3 closes row r3 as well, so the four hidden cells form one rectangle.
    expect(grid('r1')).toEqual([20, '<5', '<5', 33]);
    expect(grid('r2')).toEqual([15, 8, 9, 32]);
    expect(grid('r3')).toEqual([30, '<5', '<5', 48]);
    expect(grid('total')).toEqual([65, 17, 31, 113]);
    // Every row, column and total equation has 0 or at least 2 hidden cells.
    expect(recoverableFromOneEquation(table.cells, table.equations)).toEqual([]);
    expect(result.reason(key('r1', 'c2'))).toBe('PRIMARY');
    expect(
      result
        .suppressedKeys()
        .filter((k) => result.reason(k) === 'SECONDARY')
        .sort(),
    ).toEqual([key('r1', 'c3'), key('r3', 'c2'), key('r3', 'c3')].sort());
  });

  it('builds the row, column and grand-total equations', () => {
    const table = new SuppressionTable();
    const { key } = table.crossTab('t', ['a', 'b'], ['x', 'y'], () => 10);
    expect(table.cells.find((c) => c.key === key('total', 'total'))?.value).toBe(40);
    expect(table.equations).toContainEqual({ total: key('a', 'total'), parts: [key('a', 'x'), key('a', 'y')] });
    expect(table.equations).toContainEqual({ total: key('total', 'y'), parts: [key('a', 'y'), key('b', 'y')] });
    expect(table.equations).toContainEqual({ total: key('total', 'total'), parts: [key('a', 'total'), key('b', 'total')] });
    expect(table.equations).toContainEqual({ total: key('total', 'total'), parts: [key('total', 'x'), key('total', 'y')] });
    expect(table.run().suppressedKeys()).toEqual([]);
  });

  it('a small row total hides cells across the totals column as well', () => {
    const table = new SuppressionTable();
    const small: Record<string, Record<string, number>> = { r1: { c1: 2, c2: 1 }, r2: { c1: 30, c2: 40 }, r3: { c1: 25, c2: 35 } };
    const { key } = table.crossTab('t', ['r1', 'r2', 'r3'], ['c1', 'c2'], (r, c) => small[r]![c]!);
    const result = table.run();
    expect(result.cell(key('r1', 'total')).suppressed).toBe(true);
    // The column of row totals (r1 3, r2 70, r3 60 = 133) must not give r1's total away.
    expect(result.cell(key('r3', 'total')).suppressed).toBe(true);
    expect(recoverableFromOneEquation(table.cells, table.equations)).toEqual([]);
  });
});

/** Rank of a matrix (Gaussian elimination), for an independent check of what the equations reveal. */
function rank(matrix: number[][]): number {
  const rows = matrix.map((row) => [...row]);
  let r = 0;
  for (let c = 0; c < (rows[0]?.length ?? 0) && r < rows.length; c++) {
    const pivot = rows.findIndex((row, i) => i >= r && Math.abs(row[c]!) > 1e-9);
    if (pivot < 0) continue;
    [rows[r], rows[pivot]] = [rows[pivot]!, rows[r]!];
    for (let i = 0; i < rows.length; i++) {
      if (i === r) continue;
      const f = rows[i]![c]! / rows[r]![c]!;
      rows[i] = rows[i]!.map((v, j) => v - f * rows[r]![j]!);
    }
    r++;
  }
  return r;
}

/**
 * The hidden cells the published cells pin down through any combination of the equations: a hidden
 * cell is determined when dropping its column lowers the rank of the hidden cells' coefficient matrix.
 */
function determinedByCombination(cellsIn: readonly CellInput[], equations: readonly Equation[]): string[] {
  const result = suppress(cellsIn, equations);
  const hidden = result.suppressedKeys();
  const matrix = equations.map((eq) => hidden.map((key) => (eq.total === key ? 1 : 0) - eq.parts.filter((p) => p === key).length));
  const full = rank(matrix);
  return hidden.filter((_, i) => rank(matrix.map((row) => row.filter((__, j) => j !== i))) < full);
}

describe('linked tables (the audit)', () => {
  // Figure 1 in small: the combinations make up the target group, and an indicator's count is the sum
  // of the combinations that contain it. A (18) = {A} + {A,C}; C (6) = {A,C}; N (3) = {N,S} = S = pair.
  const figure1 = cells({ tg: 49, cA: 12, cN2: 20, cS2: 8, cAC: 6, cNS: 3, A: 18, C: 6, N: 3, S: 3, N2: 20, S2: 8, pAC: 6, pNS: 3 });
  const equations: Equation[] = [
    { total: 'tg', parts: ['cA', 'cN2', 'cS2', 'cAC', 'cNS'] },
    { total: 'A', parts: ['cA', 'cAC'] },
    { total: 'C', parts: ['cAC'] },
    { total: 'N', parts: ['cNS'] },
    { total: 'S', parts: ['cNS'] },
    { total: 'N2', parts: ['cN2'] },
    { total: 'S2', parts: ['cS2'] },
    { total: 'pAC', parts: ['cAC'] },
    { total: 'pNS', parts: ['cNS'] },
  ];

  it('the one-equation rule alone would leave {N,S} readable as tg - A - the published combinations', () => {
    // After steps 1-2 only {A}, {A,C}, {N,S} would be hidden in the tg equation: tg - A = cN2 + cS2 + cNS.
    // The audit sees it and hides another combination.
    expect(determinedByCombination(figure1, equations)).toEqual([]);
    expect(recoverableFromOneEquation(figure1, equations)).toEqual([]);
    const result = suppress(figure1, equations);
    expect(result.cell('cNS').suppressed).toBe(true);
    expect(result.cell('cS2').suppressed).toBe(true); // the audit's extra cell: the smallest next to {N,S}
    expect(result.cell('S2').suppressed).toBe(true); // and the indicator that equals it
    expect(result.cell('tg')).toEqual({ value: 45, suppressed: false }); // 49, rounded down
  });

  it('random cross-tabs and linked breakdowns never leave a hidden cell determined', () => {
    let seed = 20260615;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const count = () => (random() < 0.35 ? Math.floor(random() * 5) : Math.floor(random() * 60));
    for (let round = 0; round < 200; round++) {
      const table = new SuppressionTable();
      const rows = Array.from({ length: 2 + Math.floor(random() * 3) }, (_, i) => `r${i}`);
      const columns = Array.from({ length: 2 + Math.floor(random() * 4) }, (_, i) => `c${i}`);
      const values = new Map(rows.flatMap((r) => columns.map((c) => [`${r}:${c}`, count()] as const)));
      const { key } = table.crossTab('t', rows, columns, (r, c) => values.get(`${r}:${c}`)!);
      // A linked breakdown of the first row's total.
      const firstTotal = columns.reduce((acc, c) => acc + values.get(`r0:${c}`)!, 0);
      const split = Math.floor(random() * (firstTotal + 1));
      table.breakdown(
        'split',
        new Map([
          ['x', split],
          ['y', firstTotal - split],
        ]),
        key('r0', 'total'),
      );
      expect(determinedByCombination(table.cells, table.equations)).toEqual([]);
      expect(recoverableFromOneEquation(table.cells, table.equations)).toEqual([]);
      const result = table.run();
      for (const cell of table.cells) if (isSmallCount(cell.value)) expect(result.cell(cell.key).suppressed).toBe(true);
    }
  });
});

describe('a breakdown builder', () => {
  it('adds a total, or uses an existing cell as the total', () => {
    const table = new SuppressionTable();
    const { total, parts } = table.breakdown(
      'age',
      new Map([
        ['young', 3],
        ['old', 30],
      ]),
    );
    expect(total).toBe('age:total');
    expect([...parts.values()]).toEqual(['age:young', 'age:old']);
    const whole = table.add('whole', 33);
    table.breakdown(
      'kind',
      new Map([
        ['k1', 13],
        ['k2', 20],
      ]),
      whole,
    );
    const result = table.run();
    expect(result.cell('age:young').suppressed).toBe(true);
    expect(result.cell('age:old').suppressed).toBe(true);
    expect(result.cell('age:total')).toEqual({ value: 30, suppressed: false }); // 33, rounded down
    expect(result.cell('kind:k1')).toEqual({ value: 10, suppressed: false }); // 13
  });
});

describe('rounding of published counts', () => {
  it('rounds every shown count down to a multiple of 5; 0 stays 0; a hidden count stays hidden', () => {
    expect([0, 5, 6, 9, 10, 14, 15, 1234].map(roundDown)).toEqual([0, 5, 5, 5, 10, 10, 15, 1230]);
    const result = suppress(cells({ zero: 0, small: 3, five: 5, nine: 9, big: 1234 }));
    expect(['zero', 'small', 'five', 'nine', 'big'].map((key) => result.cell(key))).toEqual([
      { value: 0, suppressed: false },
      { value: null, suppressed: true },
      { value: 5, suppressed: false },
      { value: 5, suppressed: false },
      { value: 1230, suppressed: false },
    ]);
  });

  it('publishes a fixed cell exactly (it is public anyway)', () => {
    expect(suppress([{ key: 'budget', value: 62, fixed: true }]).cell('budget')).toEqual({ value: 62, suppressed: false });
  });

  it('a published count stands for value to value + 4; 0 for 0; a suppressed one for 1-4', () => {
    expect(countRange({ value: 10, suppressed: false })).toEqual([10, 14]);
    expect(countRange({ value: 0, suppressed: false })).toEqual([0, 0]);
    expect(countRange({ value: null, suppressed: true })).toEqual([1, 4]);
  });

  it('hides one more part where the rounded ranges of a total and its other parts pin a hidden part', () => {
    // total 30-34, parts 5-9 and 10-14, and two hidden of 1-4: together 7 at most and 16 - 14 = 2 at
    // least: nothing pinned. With 4 + 4 + 9 + 9 + 9 = 35 (35-39) the two hidden are 8 at least: 4 each.
    expect(suppress(cells({ t: 31, a: 3, b: 4, c: 9, d: 15 }), [{ total: 't', parts: ['a', 'b', 'c', 'd'] }]).suppressedKeys()).toEqual([
      'a',
      'b',
    ]);
    expect(published(cells({ t: 35, a: 4, b: 4, c: 9, d: 9, e: 9 }), [{ total: 't', parts: ['a', 'b', 'c', 'd', 'e'] }])).toEqual({
      t: 35,
      a: '<5',
      b: '<5',
      c: '<5',
      d: 9,
      e: 9,
    });
  });
});

describe('shares', () => {
  it('divides shown counts, rounded to four decimals, with the goal', () => {
    expect(shareOf({ value: 2, suppressed: false }, { value: 3, suppressed: false }, 0.9)).toEqual({
      value: 0.6667,
      goal: 0.9,
      suppressed: false,
    });
  });
  it('is suppressed when the numerator or the denominator is', () => {
    expect(shareOf({ value: null, suppressed: true }, { value: 30, suppressed: false }, 0.8)).toEqual({
      value: null,
      goal: 0.8,
      suppressed: true,
    });
    expect(shareOf({ value: 30, suppressed: false }, { value: null, suppressed: true })).toEqual({
      value: null,
      goal: null,
      suppressed: true,
    });
  });
  it('is null, not suppressed, when there is nothing to divide by', () => {
    expect(shareOf({ value: 0, suppressed: false }, { value: 0, suppressed: false }, 0.1)).toEqual({
      value: null,
      goal: 0.1,
      suppressed: false,
    });
  });
});

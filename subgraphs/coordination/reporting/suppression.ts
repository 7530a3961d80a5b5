/**
 * Small-cell suppression (diskretionering) for the reporting aggregates, as Danish statistics practice
 * does it: no count of 1-4 young people is published, and no such count can be worked out from the
 * figures that are.
 *
 * A table is a set of cells (counts) and equations between them: `total = part + part + ...` (a
 * breakdown with its total; a cross-tab is one equation per row, per column and for the totals). Two
 * steps:
 *
 * 1. Primary suppression: every cell with a value from 1 to 4 is hidden. 0 is shown (an empty cell
 *    tells nobody anything about a person).
 * 2. Complementary (secondary) suppression: an equation with exactly one hidden cell gives that cell
 *    away (total minus the other parts). In every such equation the next-smallest cell that is not yet
 *    hidden is hidden too, and the check runs again over all equations until nothing changes (hiding
 *    a cell may open another equation it belongs to). Choosing that cell: a non-zero one before a 0;
 *    then one that also closes another equation left with a single hidden cell (in a cross-tab this
 *    completes the rectangle of four instead of spreading over more rows); then the smallest; then a
 *    part before the total, and the earlier part.
 *
 * A cell marked `fixed` is known to everyone anyway (a budget figure, or a value that another published
 * fact settles, such as "0 over capacity" when the report says the capacity is not exceeded): it is
 * never hidden and never chosen to protect another.
 *
 * 3. Audit: equations taken together (one published total minus another, as in linked tables such as
 *    figure 1's combinations and indicator counts) may still determine a hidden cell although each
 *    has two hidden cells. Any hidden cell that the published cells determine by linear combination
 *    gets one more hidden cell next to it (ranked as in step 2), and step 2 runs again, until none is.
 *
 * 4. Rounding: every published count is rounded DOWN to a multiple of 5 (`ROUNDING_BASE`): 0 stays 0,
 *    5-9 read 5, 10-14 read 10. A published count therefore says "from value to value + 4". This is what
 *    protects a small cell ACROSS questions (a caller may ask for overlapping periods, a subgroup and
 *    its whole, one section and another): the difference of any two published counts leaves every
 *    count from 1 to 4 it could stand for at least two possible values (docs/access.md, "Suppression
 *    across questions", proves it case by case; tests/security/reportDifferencing.test.ts checks it).
 *    Rounding down, not to the nearest 5, is what makes the guarantee hold: with nearest rounding two
 *    hidden cells of 4 (8, read 10, "8 to 12") give both away. The rounding is a function of the count
 *    alone, so asking the same question again gives the same number: there is no noise to average out.
 * 5. Interval audit: with the published counts now ranges, one equation can still pin a hidden cell
 *    by its bounds (a total of 35 read "35-39" whose other parts read 5, 5, 5 and two hidden ones:
 *    the hidden ones are 8 together, so 4 each). Any hidden cell that one equation narrows to a single
 *    value gets one more hidden cell next to it, and steps 2-3 run again.
 *
 * What this does not promise: bounds. A hidden cell may be narrowed to a range (never below 0), as
 * with any cell suppression; it cannot be computed exactly from one answer, nor from any two.
 *
 * Everything here is pure: the reports build a table, run `suppress`, and publish `cell(key)`.
 */

/** Counts from 1 to `SMALL_CELL_LIMIT - 1` are hidden. */
export const SMALL_CELL_LIMIT = 5;

/** Published counts are rounded down to a multiple of this (it must be at least SMALL_CELL_LIMIT). */
export const ROUNDING_BASE = 5;

/** A shown count as published: rounded down to a multiple of ROUNDING_BASE (0 stays 0). */
export function roundDown(value: number): number {
  return Math.floor(value / ROUNDING_BASE) * ROUNDING_BASE;
}

/**
 * What a caller can tell from one published count, as the smallest and largest count it can stand
 * for: 0 is exact, a shown value v is v to v + 4, a hidden count is 1-4 (`hiddenMax` 4) or, when
 * hidden only to protect another, anything (`hiddenMax` Infinity). Used by the interval audit and by
 * the attack tests.
 */
export function countRange(count: PublishedCount, hiddenMin = 1, hiddenMax = SMALL_CELL_LIMIT - 1): [number, number] {
  if (count.suppressed || count.value === null) return [hiddenMin, hiddenMax];
  if (count.value === 0) return [0, 0];
  return [count.value, count.value + ROUNDING_BASE - 1];
}

/** A published count: the value, or null with `suppressed: true` when it may not be shown. */
export interface PublishedCount {
  value: number | null;
  suppressed: boolean;
}

/** A published share: numerator over denominator, null with `suppressed: true` when either is hidden. */
export interface PublishedShare {
  value: number | null;
  goal: number | null;
  suppressed: boolean;
}

export interface CellInput {
  key: string;
  value: number;
  /** Known to everyone anyway: never hidden, never used to protect another cell. */
  fixed?: boolean | undefined;
}

/** `total` equals the sum of `parts`. */
export interface Equation {
  total: string;
  parts: readonly string[];
}

export type SuppressionReason = 'PRIMARY' | 'SECONDARY';

export interface SuppressionResult {
  /** The published form of a cell; throws for a key the table does not have. */
  cell(key: string): PublishedCount;
  /** Why a cell is hidden, or null when it is shown. */
  reason(key: string): SuppressionReason | null;
  /** Every hidden cell's key, in the order the cells were given. */
  suppressedKeys(): string[];
}

export function isSmallCount(value: number): boolean {
  return value >= 1 && value < SMALL_CELL_LIMIT;
}

/**
 * Hides the small cells and, until stable, a complementary cell in every equation that has exactly one
 * hidden cell. Throws on a malformed table (unknown key, duplicate key, negative or fractional count,
 * an equation whose numbers do not add up): those are bugs in the report, not data to publish.
 */
export function suppress(cells: readonly CellInput[], equations: readonly Equation[] = []): SuppressionResult {
  const byKey = new Map<string, CellInput & { order: number }>();
  cells.forEach((cell, order) => {
    if (byKey.has(cell.key)) throw new Error(`suppression table has the cell "${cell.key}" twice`);
    if (!Number.isInteger(cell.value) || cell.value < 0) {
      throw new Error(`suppression table cell "${cell.key}" is not a count: ${cell.value}`);
    }
    byKey.set(cell.key, { ...cell, order });
  });
  const get = (key: string) => {
    const cell = byKey.get(key);
    if (!cell) throw new Error(`suppression table has no cell "${key}"`);
    return cell;
  };
  for (const equation of equations) {
    const sum = equation.parts.reduce((acc, key) => acc + get(key).value, 0);
    const total = get(equation.total).value;
    if (sum !== total) {
      throw new Error(`suppression table does not add up: ${equation.total} = ${total}, its parts sum to ${sum}`);
    }
  }

  const reasons = new Map<string, SuppressionReason>();
  for (const cell of cells) {
    if (!cell.fixed && isSmallCount(cell.value)) reasons.set(cell.key, 'PRIMARY');
  }

  const completeEquations = () => {
    for (let changed = true; changed;) {
      changed = false;
      for (const equation of equations) {
        const hidden = [...equation.parts, equation.total].filter((key) => reasons.has(key));
        if (hidden.length !== 1) continue;
        const partner = complementFor(equation, equations, reasons, get);
        if (partner === undefined) continue; // every other cell is fixed: public knowledge settles it anyway
        reasons.set(partner, 'SECONDARY');
        changed = true;
      }
    }
  };

  // Step 3, the audit: equations combined (one total minus another, as in linked tables) can still
  // pin a hidden cell down although each has two hidden cells. Hide one more cell next to such a cell
  // and complete the equations again, until no hidden cell is determined by the published ones.
  const unprotectable = new Set<string>();
  for (;;) {
    completeEquations();
    const exposed = determinedCells(equations, reasons).find((key) => !unprotectable.has(key));
    if (exposed !== undefined) {
      const partner = complementNextTo(exposed, equations, reasons, get);
      if (partner === undefined)
        unprotectable.add(exposed); // only fixed cells left: public knowledge anyway
      else reasons.set(partner, 'SECONDARY');
      continue;
    }
    // Step 5: the published counts are ranges (rounded down); one equation's bounds may still pin a hidden cell.
    const pinned = pinnedByBounds(equations, reasons, get).find(({ key }) => !unprotectable.has(key));
    if (pinned === undefined) break;
    const complement = complementFor(pinned.equation, equations, reasons, get);
    if (complement === undefined) unprotectable.add(pinned.key);
    else reasons.set(complement, 'SECONDARY');
  }

  return {
    cell(key) {
      const { value, fixed } = get(key);
      if (reasons.has(key)) return { value: null, suppressed: true };
      // A fixed cell is public knowledge anyway: exact. Every other count is rounded down.
      return { value: fixed ? value : roundDown(value), suppressed: false };
    },
    reason(key) {
      get(key);
      return reasons.get(key) ?? null;
    },
    suppressedKeys() {
      return cells.filter((cell) => reasons.has(cell.key)).map((cell) => cell.key);
    },
  };
}

/** The cell to hide next to the one hidden cell of `equation`: smallest non-zero first, parts before the total. */
function complementFor(
  equation: Equation,
  equations: readonly Equation[],
  reasons: ReadonlyMap<string, SuppressionReason>,
  get: (key: string) => CellInput & { order: number },
): string | undefined {
  // Other equations that, like this one, have exactly one hidden cell: a complement inside one of them closes it too.
  const open = equations.filter(
    (other) => other !== equation && [other.total, ...other.parts].filter((key) => reasons.has(key)).length === 1,
  );
  const closesAnother = (key: string) => open.some((other) => other.total === key || other.parts.includes(key));
  const candidates = [
    ...equation.parts.map((key, position) => ({ key, isTotal: false, position })),
    { key: equation.total, isTotal: true, position: equation.parts.length },
  ]
    .filter(({ key }) => !reasons.has(key) && !get(key).fixed)
    .map((candidate) => ({ ...candidate, closes: closesAnother(candidate.key) }));
  candidates.sort((a, b) => {
    const va = get(a.key).value;
    const vb = get(b.key).value;
    if ((va === 0) !== (vb === 0)) return va === 0 ? 1 : -1;
    if (a.closes !== b.closes) return a.closes ? -1 : 1;
    if (va !== vb) return va - vb;
    if (a.isTotal !== b.isTotal) return a.isTotal ? 1 : -1;
    return a.position - b.position;
  });
  return candidates[0]?.key;
}

/**
 * The hidden cells whose value follows from the published ones through the equations, by linear
 * combination: Gauss-Jordan elimination over the hidden cells' coefficients (+1 total, -1 part). A
 * cell is determined exactly when a row of the reduced matrix has it as its only non-zero entry.
 */
function determinedCells(equations: readonly Equation[], reasons: ReadonlyMap<string, SuppressionReason>): string[] {
  const unknowns = [...reasons.keys()];
  const column = new Map(unknowns.map((key, i) => [key, i]));
  const rows: number[][] = [];
  for (const equation of equations) {
    const row = new Array<number>(unknowns.length).fill(0);
    const add = (key: string, coefficient: number) => {
      const i = column.get(key);
      if (i !== undefined) row[i] = (row[i] ?? 0) + coefficient;
    };
    add(equation.total, 1);
    for (const part of equation.parts) add(part, -1);
    if (row.some((c) => c !== 0)) rows.push(row);
  }
  const EPSILON = 1e-9;
  let pivotRow = 0;
  for (let col = 0; col < unknowns.length && pivotRow < rows.length; col++) {
    let best = pivotRow;
    for (let r = pivotRow + 1; r < rows.length; r++) if (Math.abs(rows[r]![col]!) > Math.abs(rows[best]![col]!)) best = r;
    if (Math.abs(rows[best]![col]!) < EPSILON) continue;
    [rows[pivotRow], rows[best]] = [rows[best]!, rows[pivotRow]!];
    const pivot = rows[pivotRow]!;
    const scale = pivot[col]!;
    for (let c = 0; c < pivot.length; c++) pivot[c] = pivot[c]! / scale;
    for (let r = 0; r < rows.length; r++) {
      if (r === pivotRow) continue;
      const row = rows[r]!;
      const factor = row[col]!;
      if (Math.abs(factor) < EPSILON) continue;
      for (let c = 0; c < row.length; c++) row[c] = row[c]! - factor * pivot[c]!;
    }
    pivotRow++;
  }
  const determined = new Set<number>();
  for (const row of rows.slice(0, pivotRow)) {
    const nonZero = row.flatMap((c, i) => (Math.abs(c) > EPSILON ? [i] : []));
    if (nonZero.length === 1) determined.add(nonZero[0]!);
  }
  return unknowns.filter((_, i) => determined.has(i));
}

/**
 * Hidden cells that one equation narrows to a single value, given what the published cells say: a
 * shown cell its rounded range, a fixed cell its value, a hidden cell 1-4 when small and 0 or more
 * otherwise (a caller may suspect as much). For one equation `total = Σ parts` with every cell in an
 * integer range, the bounds below are exactly the values the cell can take, so this misses no pin
 * within an equation; pins that need several equations at once are the residual docs/access.md names.
 */
function pinnedByBounds(
  equations: readonly Equation[],
  reasons: ReadonlyMap<string, SuppressionReason>,
  get: (key: string) => CellInput & { order: number },
): { key: string; equation: Equation }[] {
  const range = (key: string): [number, number] => {
    const cell = get(key);
    if (cell.fixed) return [cell.value, cell.value];
    if (reasons.has(key)) return reasons.get(key) === 'PRIMARY' ? [1, SMALL_CELL_LIMIT - 1] : [0, Infinity];
    return countRange({ value: roundDown(cell.value), suppressed: false });
  };
  const pinned: { key: string; equation: Equation }[] = [];
  for (const equation of equations) {
    const signed = [{ key: equation.total, sign: 1 }, ...equation.parts.map((key) => ({ key, sign: -1 }))];
    signed.forEach(({ key, sign }, index) => {
      if (!reasons.has(key)) return;
      // sign·x = -Σ other signed terms: [low, high] bounds the right-hand side from the others' ranges.
      let low = 0;
      let high = 0;
      for (const [otherIndex, other] of signed.entries()) {
        if (otherIndex === index) continue;
        const [lo, hi] = range(other.key);
        if (other.sign === 1) [low, high] = [low - hi, high - lo];
        else [low, high] = [low + lo, high + hi];
      }
      const [ownLo, ownHi] = range(key);
      const [fromLo, fromHi] = sign === 1 ? [low, high] : [-high, -low];
      const lo = Math.max(ownLo, fromLo);
      const hi = Math.min(ownHi, fromHi);
      if (lo === hi) pinned.push({ key, equation });
    });
  }
  return pinned;
}

/** A cell to hide next to an exposed one: from the equations it is in, ranked as `complementFor` ranks. */
function complementNextTo(
  exposed: string,
  equations: readonly Equation[],
  reasons: ReadonlyMap<string, SuppressionReason>,
  get: (key: string) => CellInput & { order: number },
): string | undefined {
  const seen = new Set<string>();
  const candidates: { key: string; isTotal: boolean; order: number }[] = [];
  for (const equation of equations) {
    if (equation.total !== exposed && !equation.parts.includes(exposed)) continue;
    for (const [key, isTotal] of [...equation.parts.map((k) => [k, false] as const), [equation.total, true] as const]) {
      if (seen.has(key) || reasons.has(key) || get(key).fixed) continue;
      seen.add(key);
      candidates.push({ key, isTotal, order: get(key).order });
    }
  }
  candidates.sort((a, b) => {
    const va = get(a.key).value;
    const vb = get(b.key).value;
    if ((va === 0) !== (vb === 0)) return va === 0 ? 1 : -1;
    if (va !== vb) return va - vb;
    if (a.isTotal !== b.isTotal) return a.isTotal ? 1 : -1;
    return a.order - b.order;
  });
  return candidates[0]?.key;
}

/**
 * A share `numerator / denominator` against a goal. Hidden when either count is (a share and a shown
 * denominator would give the hidden numerator back, and the other way round), and null when the
 * denominator is 0. Rounded to four decimals.
 */
export function shareOf(numerator: PublishedCount, denominator: PublishedCount, goal: number | null = null): PublishedShare {
  if (numerator.suppressed || denominator.suppressed) return { value: null, goal, suppressed: true };
  if (numerator.value === null || denominator.value === null || denominator.value === 0) return { value: null, goal, suppressed: false };
  return { value: Math.round((numerator.value / denominator.value) * 10_000) / 10_000, goal, suppressed: false };
}

// ---------------------------------------------------------------- table builders

/** Cells and equations to hand to `suppress`; builders append to it. */
export class SuppressionTable {
  readonly cells: CellInput[] = [];
  readonly equations: Equation[] = [];

  /** Adds a cell; returns its key. */
  add(key: string, value: number, options: { fixed?: boolean } = {}): string {
    this.cells.push({ key, value, fixed: options.fixed });
    return key;
  }

  /** `total = Σ parts` between cells already added. */
  equation(total: string, parts: readonly string[]): void {
    this.equations.push({ total, parts });
  }

  /**
   * A one-dimensional breakdown with its total: cells `<prefix>:<category>` and `<prefix>:total`
   * (unless `totalKey` names an existing cell to use as the total). Returns the keys.
   */
  breakdown(prefix: string, values: ReadonlyMap<string, number>, totalKey?: string): { total: string; parts: Map<string, string> } {
    const parts = new Map<string, string>();
    for (const [category, value] of values) parts.set(category, this.add(`${prefix}:${category}`, value));
    const total =
      totalKey ??
      this.add(
        `${prefix}:total`,
        [...values.values()].reduce((a, b) => a + b, 0),
      );
    this.equation(total, [...parts.values()]);
    return { total, parts };
  }

  /**
   * A two-dimensional cross-tab with row totals, column totals and the grand total: cells
   * `<prefix>:<row>:<column>`, `<prefix>:<row>:total`, `<prefix>:total:<column>`, `<prefix>:total:total`.
   * One equation per row, per column, and two for the grand total (over the row totals and over the
   * column totals).
   */
  crossTab(
    prefix: string,
    rows: readonly string[],
    columns: readonly string[],
    value: (row: string, column: string) => number,
  ): CrossTabKeys {
    const key = (row: string, column: string) => `${prefix}:${row}:${column}`;
    for (const row of rows) for (const column of columns) this.add(key(row, column), value(row, column));
    for (const row of rows) {
      this.add(
        key(row, 'total'),
        columns.reduce((acc, column) => acc + value(row, column), 0),
      );
      this.equation(
        key(row, 'total'),
        columns.map((column) => key(row, column)),
      );
    }
    for (const column of columns) {
      this.add(
        key('total', column),
        rows.reduce((acc, row) => acc + value(row, column), 0),
      );
      this.equation(
        key('total', column),
        rows.map((row) => key(row, column)),
      );
    }
    const grand = rows.reduce((acc, row) => acc + columns.reduce((sum, column) => sum + value(row, column), 0), 0);
    this.add(key('total', 'total'), grand);
    this.equation(
      key('total', 'total'),
      rows.map((row) => key(row, 'total')),
    );
    this.equation(
      key('total', 'total'),
      columns.map((column) => key('total', column)),
    );
    return { key };
  }

  run(): SuppressionResult {
    return suppress(this.cells, this.equations);
  }
}

export interface CrossTabKeys {
  /** The key of a cell; `'total'` as row or column names a total. */
  key: (row: string, column: string) => string;
}

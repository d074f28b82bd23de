// Conditions: evaluating NumberExpr operands (incl. dynamic functions over history), testing a
// value against a condition in JS, and compiling row-level conditions into DuckDB predicates.
// Semantics (aws-semantics.md §1.3): `between` is exclusive, `not between` is `<= lo || >= hi`;
// row-level NULLs fail every operator except `!=` / `not in` (unless NULL is listed).
import type {
  ComparisonOp,
  Condition,
  DateExpr,
  Duration,
  NumberCondition,
  NumberExpr,
  Ruleset,
  Size,
  StringCondition,
  StringOperand,
} from './ast';
import { quoteLiteral } from './sql';

export class EvaluationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EvaluationError';
  }
}

/** A condition whose operands are reduced to plain numbers (dates → epoch ms, durations → hours, sizes → bytes). */
export type Resolved =
  | { op: ComparisonOp; operand: number | null }
  | { op: 'between' | 'not between'; low: number; high: number }
  | { op: 'in' | 'not in'; list: (number | null)[] };

export interface ExprContext {
  /** Past values of the rule's metric, most recent first (dynamic rules). */
  history?: (limit: number) => Promise<number[]>;
  now: Date;
  variables: Ruleset['variables'];
  timeZone?: string;
}

type ExprValue = number | number[] | null;

const MAX_LAST = 1000;

export async function evalNumberExpr(e: NumberExpr, ctx: ExprContext): Promise<ExprValue> {
  switch (e.kind) {
    case 'number':
      return e.value;
    case 'null':
      return null;
    case 'paren':
      return evalNumberExpr(e.expr, ctx);
    case 'binary': {
      const l = scalar(await evalNumberExpr(e.left, ctx), 'left operand');
      const r = scalar(await evalNumberExpr(e.right, ctx), 'right operand');
      if (l === null || r === null) return null;
      switch (e.op) {
        case '+':
          return l + r;
        case '-':
          return l - r;
        case '*':
          return l * r;
        case '/':
          return l / r;
      }
      return null;
    }
    case 'call':
      return evalCall(e.name, e.args, ctx);
  }
}

async function evalCall(name: string, args: NumberExpr[], ctx: ExprContext): Promise<ExprValue> {
  const fn = name.toLowerCase();
  if (fn === 'last') {
    if (args.length > 1) throw new EvaluationError('last() takes at most one argument');
    const k = args.length === 0 ? 1 : scalar(await evalNumberExpr(args[0]!, ctx), 'last()');
    if (k === null || !Number.isInteger(k) || k < 1 || k > MAX_LAST)
      throw new EvaluationError(`last(k) needs an integer k between 1 and ${MAX_LAST}`);
    if (!ctx.history) throw new EvaluationError('Dynamic rules need metric history, none was provided');
    const values = await ctx.history(k);
    // A bare last() (k = 1) is a scalar; with no history it is 0.0 as in Glue.
    if (k === 1) return values[0] ?? 0;
    return values;
  }
  const vals = await Promise.all(args.map((a) => evalNumberExpr(a, ctx)));
  if (fn === 'index') {
    const list = vals[0];
    const idx = scalar(vals[1] ?? null, 'index()');
    if (!Array.isArray(list) || idx === null)
      throw new EvaluationError('index(list, i) needs last(k) and an index');
    return list[idx] ?? 0;
  }
  const flat: number[] = [];
  for (const v of vals) {
    if (Array.isArray(v)) flat.push(...v);
    else if (v !== null) flat.push(v);
  }
  const empty = flat.length === 0;
  switch (fn) {
    case 'avg':
    case 'average':
    case 'mean':
      return empty ? 0 : flat.reduce((a, b) => a + b, 0) / flat.length;
    case 'sum':
      return flat.reduce((a, b) => a + b, 0);
    case 'min':
      return empty ? 0 : Math.min(...flat);
    case 'max':
      return empty ? 0 : Math.max(...flat);
    case 'median': {
      if (empty) return 0;
      const s = [...flat].sort((a, b) => a - b);
      const m = Math.floor(s.length / 2);
      return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
    }
    case 'std':
    case 'stddev': {
      if (flat.length < 2) return 0;
      const mean = flat.reduce((a, b) => a + b, 0) / flat.length;
      return Math.sqrt(flat.reduce((a, b) => a + (b - mean) ** 2, 0) / flat.length);
    }
    case 'abs': {
      const v = scalar(vals[0] ?? null, 'abs()');
      return v === null ? null : Math.abs(v);
    }
    default:
      throw new EvaluationError(`Unknown function ${name}()`);
  }
}

function scalar(v: ExprValue, where: string): number | null {
  if (Array.isArray(v))
    throw new EvaluationError(`${where}: last(k) with k > 1 must be wrapped in an aggregation`);
  return v;
}

async function resolveNumberOperand(e: NumberExpr, ctx: ExprContext): Promise<number | null> {
  return scalar(await evalNumberExpr(e, ctx), 'operand');
}

export async function resolveNumberCondition(c: NumberCondition, ctx: ExprContext): Promise<Resolved> {
  if ('low' in c) {
    const low = await resolveNumberOperand(c.low, ctx);
    const high = await resolveNumberOperand(c.high, ctx);
    if (low === null || high === null) throw new EvaluationError('between needs numeric bounds');
    return { op: c.op, low, high };
  }
  if ('list' in c) {
    const items = Array.isArray(c.list) ? c.list : numberListVariable(c.list.variable, ctx);
    const list: (number | null)[] = [];
    for (const i of items) list.push(await resolveNumberOperand(i, ctx));
    return { op: c.op, list };
  }
  return { op: c.op, operand: await resolveNumberOperand(c.operand, ctx) };
}

function numberListVariable(name: string, ctx: ExprContext): NumberExpr[] {
  const v = ctx.variables[name];
  if (!v) throw new EvaluationError(`Variable $${name} is not defined`);
  if (v.kind === 'numberList') return v.values;
  if (v.kind === 'stringList') {
    return v.values.map((s) => {
      const text = s.kind === 'quoted' ? s.value : '';
      const n = Number(text);
      if (text === '' || Number.isNaN(n))
        throw new EvaluationError(`Variable $${name} is not a list of numbers`);
      return { kind: 'number', value: n, text };
    });
  }
  throw new EvaluationError(`Variable $${name} is not a list`);
}

/** Tests a value against a resolved condition. A null value passes only `!= x`, `not in` (without NULL) and `= NULL`/`in [NULL]`. */
export function testResolved(x: number | null, r: Resolved): boolean {
  if ('low' in r) {
    if (r.op === 'between') return x !== null && x > r.low && x < r.high;
    return x !== null && (x <= r.low || x >= r.high);
  }
  if ('list' in r) {
    const found = r.list.some((v) => (v === null ? x === null : x !== null && x === v));
    return r.op === 'in' ? found : !found;
  }
  const o = r.operand;
  if (o === null) return r.op === '=' ? x === null : r.op === '!=' ? x !== null : false;
  if (x === null) return r.op === '!=';
  switch (r.op) {
    case '=':
      return x === o;
    case '!=':
      return x !== o;
    case '>':
      return x > o;
    case '>=':
      return x >= o;
    case '<':
      return x < o;
    case '<=':
      return x <= o;
  }
}

export function sqlNumber(n: number): string {
  if (Number.isNaN(n)) return "'NaN'::DOUBLE";
  if (n === Number.POSITIVE_INFINITY) return "'Infinity'::DOUBLE";
  if (n === Number.NEGATIVE_INFINITY) return "'-Infinity'::DOUBLE";
  return Number.isInteger(n) ? `${n}` : `${n}::DOUBLE`;
}

/** SQL predicate (never NULL) applying a resolved condition to the SQL expression `x`; `lit` renders operands. */
export function resolvedToSql(x: string, r: Resolved, lit: (n: number) => string = sqlNumber): string {
  if ('low' in r) {
    return r.op === 'between'
      ? `COALESCE(${x} > ${lit(r.low)} AND ${x} < ${lit(r.high)}, false)`
      : `COALESCE(${x} <= ${lit(r.low)} OR ${x} >= ${lit(r.high)}, false)`;
  }
  if ('list' in r) {
    const nums = r.list.filter((v): v is number => v !== null);
    const hasNull = nums.length !== r.list.length;
    // list_contains over a constant list is several times faster in DuckDB than an IN (…) chain
    const numeric = lit === sqlNumber;
    const inNums = nums.length
      ? `list_contains([${nums.map(lit).join(', ')}]${numeric ? '::DOUBLE[]' : ''}, ${numeric ? `CAST(${x} AS DOUBLE)` : x})`
      : 'false';
    const inList = `(COALESCE(${inNums}, false)${hasNull ? ` OR ${x} IS NULL` : ''})`;
    return r.op === 'in' ? inList : `NOT ${inList}`;
  }
  if (r.operand === null) {
    if (r.op === '=') return `(${x} IS NULL)`;
    if (r.op === '!=') return `(${x} IS NOT NULL)`;
    return 'false';
  }
  const cmp = `${x} ${r.op === '!=' ? '<>' : r.op} ${lit(r.operand)}`;
  return r.op === '!=' ? `(${x} IS NULL OR ${cmp})` : `COALESCE(${cmp}, false)`;
}

/** A TIMESTAMP literal for epoch milliseconds (UTC). */
export function timestampLiteral(ms: number): string {
  return `make_timestamp(${Math.round(ms * 1000)}::BIGINT)`;
}

const DAY_MS = 86_400_000;

/** A DATE literal for a day number (days since 1970-01-01), or undefined outside years 1–9999. */
function dateLiteral(day: number): string | undefined {
  const ms = day * DAY_MS;
  if (!Number.isSafeInteger(day) || ms < Date.UTC(1, 0, 1) || ms > Date.UTC(9999, 11, 31)) return undefined;
  return `DATE '${new Date(ms).toISOString().slice(0, 10)}'`;
}

/**
 * A condition on timestamps (epoch ms) restated exactly on the day numbers of a DATE column (its
 * timestamp is midnight UTC), so the column is compared with DATE literals instead of being cast
 * per row: `> L` and `<= L` hold for the same dates as against ⌊L⌋ days, `>= L` and `< L` as against
 * ⌈L⌉, equality only on whole days. Undefined when not expressible so (the caller casts instead).
 */
export function onDates(r: Resolved): Resolved | undefined {
  const floor = (ms: number) => Math.floor(ms / DAY_MS);
  const ceil = (ms: number) => Math.ceil(ms / DAY_MS);
  const whole = (ms: number) => (ms % DAY_MS === 0 ? ms / DAY_MS : undefined);
  if ('low' in r) return { op: r.op, low: floor(r.low), high: ceil(r.high) };
  if ('list' in r) {
    const days = r.list.map((v) => (v === null ? null : whole(v)));
    return days.includes(undefined) ? undefined : { op: r.op, list: days as (number | null)[] };
  }
  if (r.operand === null) return r;
  const o = r.operand;
  if (r.op === '>' || r.op === '<=') return { op: r.op, operand: floor(o) };
  if (r.op === '>=' || r.op === '<') return { op: r.op, operand: ceil(o) };
  const day = whole(o);
  return day === undefined ? undefined : { op: r.op, operand: day };
}

/** Renders day numbers as DATE literals (see onDates); throws outside the literal range. */
export function dayLiteral(day: number): string {
  const lit = dateLiteral(day);
  if (lit === undefined) throw new EvaluationError(`Date out of range: ${day} days from 1970-01-01`);
  return lit;
}

/**
 * DataFreshness predicate on the timestamp expression `t`: the row's age in hours,
 * `(now - t) / 1h` rounded to 2 dp (HALF_UP, as Deequ), must satisfy `r`. Each bound is restated
 * as a constant on `t` so rows are compared with literals instead of computing ages. NULLs fail.
 * With `isDate`, `t` is a DATE column and the constants are dates (both comparisons used here,
 * `t ≤ L` and `t > L`, hold for the same dates as against ⌊L⌋ days; see onDates).
 */
export function freshnessSql(t: string, r: Resolved, nowMs: number, isDate = false): string {
  const H = 3_600_000;
  const half = 0.005;
  const cmp = (op: '<=' | '>', ms: number) => {
    const day = isDate ? dateLiteral(Math.floor(ms / DAY_MS)) : undefined;
    if (day) return `${t} ${op} ${day}`;
    return `${isDate ? `CAST(${t} AS TIMESTAMP)` : t} ${op} ${timestampLiteral(ms)}`;
  };
  // age ≥ a  ⟺  t ≤ now − a·H ;  age < a  ⟺  t > now − a·H
  const ageGe = (a: number) => cmp('<=', nowMs - a * H);
  const ageLt = (a: number) => cmp('>', nowMs - a * H);
  const eq = (v: number) => `(${ageGe(v - half)} AND ${ageLt(v + half)})`;
  let p: string;
  if ('low' in r) {
    p =
      r.op === 'between'
        ? `(${ageGe(r.low + half)} AND ${ageLt(r.high - half)})`
        : `(${ageLt(r.low + half)} OR ${ageGe(r.high - half)})`;
  } else if ('list' in r) {
    const nums = r.list.filter((v): v is number => v !== null);
    const any = nums.length ? `(${nums.map(eq).join(' OR ')})` : 'false';
    p = r.op === 'in' ? any : `NOT ${any}`;
  } else {
    const v = r.operand;
    if (v === null) return 'false';
    p = {
      '>': () => ageGe(v + half),
      '>=': () => ageGe(v - half),
      '<': () => ageLt(v - half),
      '<=': () => ageLt(v + half),
      '=': () => eq(v),
      '!=': () => `NOT ${eq(v)}`,
    }[r.op]();
  }
  return `COALESCE(${t} IS NOT NULL AND ${p}, false)`;
}

// ---- strings ----------------------------------------------------------------------------

type StringAtom = { kind: 'value'; value: string } | { kind: 'null' } | { kind: 'empty' } | { kind: 'ws' };

function resolveStringOperand(o: StringOperand, ctx: Pick<ExprContext, 'variables'>): StringAtom[] {
  if (o.kind === 'quoted') return [{ kind: 'value', value: o.value }];
  if (o.kind === 'keyword') {
    return [o.value === 'NULL' ? { kind: 'null' } : o.value === 'EMPTY' ? { kind: 'empty' } : { kind: 'ws' }];
  }
  const v = ctx.variables[o.name];
  if (!v) throw new EvaluationError(`Variable $${o.name} is not defined`);
  if (v.kind === 'string') return [{ kind: 'value', value: v.value }];
  if (v.kind === 'stringList') return v.values.flatMap((s) => resolveStringOperand(s, ctx));
  throw new EvaluationError(`Variable $${o.name} is not a string`);
}

function stringList(
  list: StringOperand[] | { variable: string },
  ctx: Pick<ExprContext, 'variables'>,
): StringAtom[] {
  if (Array.isArray(list)) return list.flatMap((o) => resolveStringOperand(o, ctx));
  const v = ctx.variables[list.variable];
  if (!v) throw new EvaluationError(`Variable $${list.variable} is not defined`);
  if (v.kind === 'stringList') return v.values.flatMap((o) => resolveStringOperand(o, ctx));
  if (v.kind === 'string') return [{ kind: 'value', value: v.value }];
  throw new EvaluationError(`Variable $${list.variable} is not a list of strings`);
}

/** The regex of a `matches` condition (a `$var` pattern resolved). */
function matchPattern(
  c: Extract<StringCondition, { pattern: string }>,
  ctx: Pick<ExprContext, 'variables'>,
): string {
  if (c.variable !== undefined) {
    const v = ctx.variables[c.variable];
    if (v?.kind === 'string') return v.value;
    throw new EvaluationError(`Variable $${c.variable} is not a string`);
  }
  // the regex as written: backslash escapes (`\d`) belong to the regex, not to the DQDL string
  return c.raw ?? c.pattern;
}

function atomSql(x: string, a: StringAtom, ignoreCase: boolean): string {
  switch (a.kind) {
    case 'null':
      return `(${x} IS NULL)`;
    case 'empty':
      return `COALESCE(${x} = '', false)`;
    case 'ws':
      return `COALESCE(length(${x}) > 0 AND regexp_full_match(${x}, '\\s+'), false)`;
    case 'value':
      return ignoreCase
        ? `COALESCE(lower(${x}) = lower(${quoteLiteral(a.value)}), false)`
        : `COALESCE(${x} = ${quoteLiteral(a.value)}, false)`;
  }
}

/** SQL predicate (never NULL) for a string condition over the VARCHAR SQL expression `x`. */
export function stringConditionSql(
  x: string,
  c: StringCondition,
  ctx: Pick<ExprContext, 'variables'>,
  ignoreCase = false,
): string {
  if (c.op === 'matches' || c.op === 'not matches') {
    const re = matchPattern(c, ctx);
    const m = `COALESCE(regexp_full_match(${x}, ${quoteLiteral(re)}${ignoreCase ? ", 'i'" : ''}), false)`;
    return c.op === 'matches' ? m : `(${x} IS NULL OR NOT ${m})`;
  }
  const atoms =
    'operand' in c ? resolveStringOperand(c.operand, ctx) : 'list' in c ? stringList(c.list, ctx) : [];
  // plain values as one constant list (much cheaper per row than an OR/IN chain); keywords separately
  const values = atoms.filter((a): a is { kind: 'value'; value: string } => a.kind === 'value');
  const parts = atoms.filter((a) => a.kind !== 'value').map((a) => atomSql(x, a, ignoreCase));
  if (values.length === 1) parts.unshift(atomSql(x, values[0]!, ignoreCase));
  else if (values.length > 1) {
    const lhs = ignoreCase ? `lower(${x})` : x;
    const list = values.map((v) => quoteLiteral(ignoreCase ? v.value.toLowerCase() : v.value));
    parts.unshift(`COALESCE(list_contains([${list.join(', ')}], ${lhs}), false)`);
  }
  const any = `(${parts.join(' OR ') || 'false'})`;
  if (c.op === '=' || c.op === 'in') return any;
  // negated forms let NULL pass unless NULL is listed
  return `NOT ${any}`;
}

/** JS test of a string value (ColumnDataType, FileMatch checksums). */
export function testString(
  v: string | null,
  c: StringCondition,
  ctx: Pick<ExprContext, 'variables'>,
  ignoreCase = false,
): boolean {
  const norm = (s: string) => (ignoreCase ? s.toLowerCase() : s);
  const atomTest = (a: StringAtom) => {
    switch (a.kind) {
      case 'null':
        return v === null;
      case 'empty':
        return v === '';
      case 'ws':
        return v !== null && v.length > 0 && v.trim() === '';
      case 'value':
        return v !== null && norm(v) === norm(a.value);
    }
  };
  if (c.op === 'matches' || c.op === 'not matches') {
    const re = new RegExp(`^(?:${matchPattern(c, ctx)})$`, ignoreCase ? 'i' : '');
    const m = v !== null && re.test(v);
    return c.op === 'matches' ? m : !m;
  }
  const atoms =
    'operand' in c ? resolveStringOperand(c.operand, ctx) : 'list' in c ? stringList(c.list, ctx) : [];
  const any = atoms.some(atomTest);
  return c.op === '=' || c.op === 'in' ? any : !any;
}

// ---- dates, durations, sizes -------------------------------------------------------------

const UNIT_MS: Record<Duration['unit'], number> = { days: 86_400_000, hours: 3_600_000, minutes: 60_000 };

/** Epoch milliseconds of a DQDL date operand. */
export function resolveDate(e: DateExpr, ctx: Pick<ExprContext, 'now' | 'timeZone'>): number | null {
  switch (e.kind) {
    case 'null':
      return null;
    case 'date': {
      const ms = Date.parse(`${e.value}T00:00:00Z`);
      if (Number.isNaN(ms)) throw new EvaluationError(`Invalid date "${e.value}"`);
      return ms;
    }
    case 'now': {
      const base = ctx.now.getTime();
      if (!e.offset) return base;
      const delta = e.offset.amount * UNIT_MS[e.offset.unit];
      return e.offset.sign === '+' ? base + delta : base - delta;
    }
    case 'time':
      return timeToday(e.value, ctx.now, ctx.timeZone ?? 'UTC');
  }
}

/** "9:30 AM" / "19:30" today in `timeZone`, as epoch ms. */
function timeToday(text: string, now: Date, timeZone: string): number {
  const m = /^(\d{1,2}):(\d{2})\s*(AM|PM)?$/i.exec(text.trim());
  if (!m) throw new EvaluationError(`Invalid time "${text}"`);
  let h = Number(m[1]);
  const min = Number(m[2]);
  const ampm = m[3]?.toUpperCase();
  if (ampm === 'PM' && h < 12) h += 12;
  if (ampm === 'AM' && h === 12) h = 0;
  let parts: Intl.DateTimeFormatPart[];
  try {
    parts = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }).formatToParts(now);
  } catch {
    throw new EvaluationError(`Unknown time zone "${timeZone}"`);
  }
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value);
  // offset of the zone at `now`: local wall clock as if UTC minus the real instant
  const wallAsUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'));
  const offset = wallAsUtc - Math.floor(now.getTime() / 60_000) * 60_000;
  return Date.UTC(get('year'), get('month') - 1, get('day'), h, min) - offset;
}

export function durationHours(d: Duration): number {
  const h = (d.amount * UNIT_MS[d.unit]) / 3_600_000;
  return d.negative ? -h : h;
}

const SIZE_BYTES: Record<Size['unit'], number> = {
  B: 1,
  KB: 1024,
  MB: 1024 ** 2,
  GB: 1024 ** 3,
  TB: 1024 ** 4,
};

export function sizeBytes(s: Size): number {
  return s.amount * SIZE_BYTES[s.unit];
}

/** Resolves any non-string condition to numbers (dates → epoch ms, durations → hours, sizes → bytes). */
export async function resolveCondition(
  c: Exclude<Condition, StringCondition>,
  ctx: ExprContext,
): Promise<Resolved> {
  if (c.kind === 'number') return resolveNumberCondition(c, ctx);
  const one = (v: unknown): number | null => {
    if (c.kind === 'date') return resolveDate(v as DateExpr, ctx);
    if (c.kind === 'duration') return durationHours(v as Duration);
    return sizeBytes(v as Size);
  };
  if ('low' in c) {
    const low = one(c.low);
    const high = one(c.high);
    if (low === null || high === null) throw new EvaluationError('between needs non-NULL bounds');
    return { op: c.op, low, high };
  }
  if ('list' in c) {
    if (!Array.isArray(c.list))
      throw new EvaluationError('Variables are only supported in string and number lists');
    return { op: c.op, list: c.list.map(one) };
  }
  return { op: c.op, operand: one(c.operand) };
}

/** Canonical number text as Deequ prints doubles (`4.0`, `0.75`). */
export function formatNumber(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (!Number.isFinite(n)) return n > 0 ? 'Infinity' : '-Infinity';
  return Number.isInteger(n) && Math.abs(n) < 1e16 ? n.toFixed(1) : String(n);
}

export function constraintMessage(value: number | null): string {
  return `Value: ${value === null ? 'NULL' : formatNumber(value)} does not meet the constraint requirement!`;
}

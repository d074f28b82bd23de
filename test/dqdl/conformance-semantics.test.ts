// Runs every DQDL evaluation case transcribed from Deequ's specs (../shared/conformance/dqdl/
// semantics.json, matchers per SEMANTICS_README.md) against the DuckDB evaluator. Deequ has only
// Passed/Failed: autogov's ERROR (rule could not be evaluated) is compared as Failed.
// Cases where autogov deliberately differs are listed in DEVIATIONS with the reason; their tests
// pin autogov's own behaviour instead. Agreement is printed as N/318 at the end.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import {
  type EvaluationInput,
  type EvaluationResult,
  evaluateRows,
  evaluateRuleset,
  type RowOutcome,
  type RuleOutcome,
} from '../../src/dqdl/evaluate';
import { parseDqdl } from '../../src/dqdl/parse';

type Cell =
  | string
  | number
  | boolean
  | null
  | { $relative: 'today' | 'now'; days: number }
  | { [k: string]: Cell };

interface Dataset {
  columns: string[];
  types: string[];
  rows: Cell[][];
}

type MetricMatcher =
  | number
  | { present: true }
  | { approx: number; tol: number }
  | { times: number; toInt: number }
  | { gt: number }
  | { isNaN: true };

interface Expected {
  rule: string;
  ruleText?: string;
  outcome?: 'Passed' | 'Failed';
  metrics?: Record<string, MetricMatcher>;
  failureReason?: string | null;
  failureReasonContains?: string[];
  failureReasonNonEmpty?: boolean;
  failureReasonNonNull?: boolean;
  metricsCount?: number;
}

interface RowLevelExpect {
  outcomes?: ('Passed' | 'Failed')[];
  rowCount?: number;
  rulesPassContains?: string[][];
  rulesFailContains?: string[][];
  rulesSkipContains?: string[][];
  rulesPassEmpty?: boolean[];
  rulesFailEmpty?: boolean[];
  rulesSkipNonEmpty?: boolean[];
  rulesFailCount?: number[];
  rulesSkipCount?: number[];
}

interface Case {
  id: string;
  test: string;
  data: Dataset;
  reference?: Record<string, Dataset>;
  sqlViews?: Record<string, Dataset | 'data'>;
  ruleset: string;
  mode?: 'process' | 'processRows';
  expected: Expected[];
  resultCount?: number;
  rowLevel?: RowLevelExpect;
  expectedException?: { type: string; messageContains: string[] };
}

const cases: Case[] = JSON.parse(
  readFileSync(path.resolve(__dirname, '../../../shared/conformance/dqdl/semantics.json'), 'utf8'),
) as Case[];

/**
 * Deliberate differences from Deequ (none at present). Each test asserts autogov's behaviour instead.
 */
const DEVIATIONS: Record<string, { reason: string; check: (r: RuleOutcome[]) => void }> = {};

/** Cases that cannot be reproduced on DuckDB at all, with the reason (asserted, not skipped). */
const NOT_APPLICABLE: Record<string, string> = Object.fromEntries(
  cases
    .filter((c) => c.data.columns.length === 0)
    .map((c) => [
      c.id,
      'a Spark DataFrame with no columns: DuckDB tables and views need at least one column',
    ]),
);

// ---- loading ------------------------------------------------------------------------------

function duckType(spark: string): string {
  const t = spark.trim().toLowerCase();
  const struct = /^struct<(.*)>$/.exec(t);
  if (struct) {
    const fields = struct[1]!.split(',').map((f) => {
      const [name, type] = f.split(':');
      return `"${name}" ${duckType(type!)}`;
    });
    return `STRUCT(${fields.join(', ')})`;
  }
  const map: Record<string, string> = {
    string: 'VARCHAR',
    int: 'INTEGER',
    integer: 'INTEGER',
    bigint: 'BIGINT',
    long: 'BIGINT',
    double: 'DOUBLE',
    float: 'FLOAT',
    boolean: 'BOOLEAN',
    date: 'DATE',
    timestamp: 'TIMESTAMP',
  };
  const d = map[t];
  if (d) return d;
  if (t.startsWith('decimal')) return t.toUpperCase();
  throw new Error(`unmapped Spark type ${spark}`);
}

function relative(cell: { $relative: 'today' | 'now'; days: number }): string {
  const d = new Date(Date.now() + cell.days * 86_400_000);
  const iso = d.toISOString();
  return cell.$relative === 'today' ? iso.slice(0, 10) : iso.slice(0, 23);
}

function literal(cell: Cell, type: string): string {
  if (cell === null) return `NULL::${type}`;
  if (typeof cell === 'object' && '$relative' in cell) return literal(relative(cell as never), type);
  if (typeof cell === 'object') {
    const entries = Object.entries(cell).map(([k, v]) => `'${k}': ${literal(v, 'VARCHAR')}`);
    return `{${entries.join(', ')}}::${type}`;
  }
  if (typeof cell === 'string') return `'${cell.replaceAll("'", "''")}'::${type}`;
  return `${String(cell)}::${type}`;
}

async function load(connection: DuckDBConnection, name: string, ds: Dataset): Promise<void> {
  const types = ds.types.map(duckType);
  const cols = ds.columns.map((c, i) => `"${c.replaceAll('"', '""')}" ${types[i]}`).join(', ');
  await connection.run(`CREATE TABLE "${name}" (${cols})`);
  if (ds.rows.length) {
    const values = ds.rows.map((r) => `(${r.map((c, i) => literal(c, types[i]!)).join(', ')})`).join(', ');
    await connection.run(`INSERT INTO "${name}" VALUES ${values}`);
  }
}

// ---- matching -----------------------------------------------------------------------------

function matchMetric(actual: number | undefined, m: MetricMatcher): void {
  if (typeof m === 'number') return void expect(actual).toBe(m);
  expect(actual).toBeDefined();
  const v = actual!;
  if ('present' in m) return;
  if ('approx' in m) return void expect(Math.abs(v - m.approx)).toBeLessThanOrEqual(m.tol);
  if ('times' in m) return void expect(Math.trunc(v * m.times)).toBe(m.toInt);
  if ('gt' in m) return void expect(v).toBeGreaterThan(m.gt);
  if ('isNaN' in m) return void expect(Number.isNaN(v)).toBe(true);
}

function checkExpected(results: RuleOutcome[], e: Expected): void {
  const r = results.find((x) => x.rule === e.rule);
  expect({ rule: e.rule, found: r !== undefined }).toEqual({ rule: e.rule, found: true });
  if (!r) return;
  const ctx = { rule: e.rule, outcome: r.outcome, message: r.message };
  if (e.outcome)
    expect({ ...ctx, outcome: r.outcome === 'PASS' ? 'Passed' : 'Failed' }).toEqual({
      ...ctx,
      outcome: e.outcome,
    });
  for (const [k, m] of Object.entries(e.metrics ?? {})) {
    const actual = k === '*' ? Object.values(r.metrics)[0] : r.metrics[k];
    matchMetric(actual, m);
  }
  if (e.failureReason === null) expect(r.message).toBeUndefined();
  else if (typeof e.failureReason === 'string') expect(r.message).toBe(e.failureReason);
  for (const s of e.failureReasonContains ?? []) expect(r.message ?? '').toContain(s);
  if (e.failureReasonNonEmpty || e.failureReasonNonNull) expect(r.message ?? '').not.toBe('');
  if (e.metricsCount !== undefined) expect(Object.keys(r.metrics)).toHaveLength(e.metricsCount);
}

// ---- the suite ----------------------------------------------------------------------------

let agreed = 0;
const deviated: string[] = [];
const notApplicable: string[] = [];
let instance: DuckDBInstance;

beforeAll(async () => {
  instance = await DuckDBInstance.create(':memory:');
});

afterAll(() => {
  console.log(
    `DQDL semantics conformance: ${agreed}/${cases.length} agree with Deequ; ${deviated.length} documented deviations ` +
      `(${deviated.join(', ')}); ${notApplicable.length} not applicable (${notApplicable.join(', ')})`,
  );
});

test('the whole transcribed suite is present', () => {
  expect(cases).toHaveLength(318);
});

test.each(cases.map((c) => [c.id, c] as const))('%s', async (id, c) => {
  const connection = await instance.connect();
  const schema = `s_${id.replace(/[^a-z0-9]/gi, '_')}`;
  try {
    if (NOT_APPLICABLE[id]) {
      // pin the reason: DuckDB really refuses a zero-column relation
      await expect(connection.run('CREATE TEMP TABLE __none ()')).rejects.toThrow();
      notApplicable.push(id);
      return;
    }
    await connection.run(`CREATE SCHEMA "${schema}"; SET search_path = '${schema}'`);
    await load(connection, '__primary', c.data);
    const references: Record<string, string> = {};
    for (const [alias, ds] of Object.entries(c.reference ?? {})) {
      await load(connection, `__ref_${alias}`, ds);
      references[alias] = `__ref_${alias}`;
    }
    // Deequ registers these as Spark views; in Glue they are the ruleset's additional data sources,
    // the only tables besides primary that CustomSql may read (src/sql/sandbox.ts).
    for (const [name, ds] of Object.entries(c.sqlViews ?? {})) {
      if (ds === 'data' || name === 'primary') continue;
      await load(connection, name, ds);
      references[name] = name;
    }
    const parsed = parseDqdl(c.ruleset);
    if (!parsed.ok) throw new Error(`parse failed: ${JSON.stringify(parsed.errors)}`);
    const input: EvaluationInput = { connection, primary: '__primary', references, ruleset: parsed.ruleset };

    if (c.expectedException) {
      // Deequ throws; autogov reports the rule as ERROR with the same explanation.
      let message = '';
      try {
        const r = await evaluateRuleset(input);
        expect(r.rules.map((x) => x.outcome)).toContain('ERROR');
        message = r.rules.map((x) => x.message ?? '').join(' ');
      } catch (err) {
        message = String(err);
      }
      for (const s of c.expectedException.messageContains) expect(message).toContain(s);
      agreed++;
      return;
    }

    const rowMode = c.mode === 'processRows';
    const result: EvaluationResult & { rows?: RowOutcome[] } = rowMode
      ? await evaluateRows(input)
      : await evaluateRuleset(input);
    const deviation = DEVIATIONS[id];
    if (deviation) {
      deviation.check(result.rules);
      deviated.push(id);
      return;
    }
    for (const e of c.expected) checkExpected(result.rules, e);
    if (c.resultCount !== undefined) expect(result.rules).toHaveLength(c.resultCount);
    if (rowMode && c.rowLevel) {
      const rl = c.rowLevel;
      const rows = result.rows ?? [];
      if (rl.rowCount !== undefined) expect(rows).toHaveLength(rl.rowCount);
      rl.outcomes?.forEach((o, i) => {
        expect({ row: i, outcome: rows[i]?.DataQualityEvaluationResult }).toEqual({ row: i, outcome: o });
      });
      const each = <T>(list: T[] | undefined, fn: (v: T, i: number) => void) => list?.forEach(fn);
      each(rl.rulesPassContains, (l, i) => {
        for (const s of l) expect(rows[i]!.DataQualityRulesPass).toContain(s);
      });
      each(rl.rulesFailContains, (l, i) => {
        for (const s of l) expect(rows[i]!.DataQualityRulesFail).toContain(s);
      });
      each(rl.rulesSkipContains, (l, i) => {
        for (const s of l) expect(rows[i]!.DataQualityRulesSkip).toContain(s);
      });
      each(rl.rulesPassEmpty, (b, i) => expect(rows[i]!.DataQualityRulesPass.length === 0).toBe(b));
      each(rl.rulesFailEmpty, (b, i) => expect(rows[i]!.DataQualityRulesFail.length === 0).toBe(b));
      each(rl.rulesSkipNonEmpty, (b, i) => expect(rows[i]!.DataQualityRulesSkip.length > 0).toBe(b));
      each(rl.rulesFailCount, (n, i) => expect(rows[i]!.DataQualityRulesFail).toHaveLength(n));
      each(rl.rulesSkipCount, (n, i) => expect(rows[i]!.DataQualityRulesSkip).toHaveLength(n));
    }
    agreed++;
  } finally {
    connection.closeSync();
  }
});

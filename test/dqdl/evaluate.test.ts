// Specification-style scenarios for the DQDL evaluator, on a real in-memory DuckDB.
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import type { Ruleset } from '../../src/dqdl/ast';
import {
  type EvaluationInput,
  evaluateRows,
  evaluateRuleset,
  type RuleOutcome,
} from '../../src/dqdl/evaluate';
import { InMemoryMetricHistory, StaticFileSet } from '../../src/dqdl/history';
import { parseDqdl } from '../../src/dqdl/parse';

let instance: DuckDBInstance;
let connection: DuckDBConnection;

beforeAll(async () => {
  instance = await DuckDBInstance.create(':memory:');
  connection = await instance.connect();
  await connection.run(`
    CREATE TABLE customers AS SELECT * FROM (VALUES
      (1, 'a@x.com', 'Paris',  'FR', 10.0, DATE '2024-01-01'),
      (2, 'b@x.com', 'Lyon',   'FR', 20.0, DATE '2024-01-02'),
      (3, NULL,      'Berlin', 'DE', 30.0, DATE '2024-01-03'),
      (4, 'd@x.com', 'Nowhere','XX', 40.0, NULL),
      (4, 'e@x.com', 'Paris',  'FR', NULL, DATE '2024-01-05')
    ) t(id, email, "data location", country, amount, load_dt);
    CREATE TABLE locations AS SELECT * FROM (VALUES
      ('Paris', 'FR'), ('Lyon', 'FR'), ('Berlin', 'DE')
    ) t(city, cc);
    CREATE TABLE "odd ""name""" AS SELECT 1 AS "col ""q""";
  `);
});

afterAll(() => {
  connection.closeSync();
});

function parse(text: string): Ruleset {
  const r = parseDqdl(text);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.ruleset;
}

async function run(text: string, extra: Partial<EvaluationInput> = {}) {
  return evaluateRuleset({
    connection,
    primary: 'customers',
    references: { reference: 'locations' },
    ruleset: parse(text),
    ...extra,
  });
}

function byRule(rules: RuleOutcome[], rule: string): RuleOutcome {
  const r = rules.find((x) => x.rule === rule);
  if (!r) throw new Error(`no result for ${rule}; have ${rules.map((x) => x.rule).join(' | ')}`);
  return r;
}

describe('structure and completeness', () => {
  test('ColumnExists, ColumnCount, RowCount', async () => {
    const r = await run(
      'Rules = [ ColumnExists "email", ColumnExists "nope", ColumnCount = 6, RowCount between 4 and 6 ]',
    );
    expect(r.rules.map((x) => x.outcome)).toEqual(['PASS', 'FAIL', 'PASS', 'PASS']);
    expect(byRule(r.rules, 'RowCount between 4 and 6').metrics).toEqual({ 'Dataset.*.RowCount': 5 });
    expect(r.score).toBe(0.75);
  });

  test('IsComplete / Completeness, with and without where', async () => {
    const r = await run(
      'Rules = [ IsComplete "email", Completeness "email" > 0.7, IsComplete "email" where "country = \'FR\'" ]',
    );
    expect(r.rules[0]).toMatchObject({ outcome: 'FAIL', metrics: { 'Column.email.Completeness': 0.8 } });
    expect(r.rules[1]!.outcome).toBe('PASS');
    expect(r.rules[2]).toMatchObject({ outcome: 'PASS', metrics: { 'Column.email.Completeness': 1 } });
  });

  test('a column name with spaces is quoted safely', async () => {
    const r = await run('Rules = [ IsComplete "data location" ]');
    expect(r.rules[0]!.outcome).toBe('PASS');
  });

  test('a rule naming a missing column is an ERROR with a clear message, the others still run', async () => {
    const r = await run('Rules = [ IsComplete "missing_col", RowCount > 0 ]');
    expect(r.rules[0]).toMatchObject({
      outcome: 'ERROR',
      message: 'Column "missing_col" does not exist in the dataset',
    });
    expect(r.rules[1]!.outcome).toBe('PASS');
    expect(r.score).toBe(0.5);
  });

  test('an invalid where clause is an ERROR naming the where clause', async () => {
    const r = await run('Rules = [ IsComplete "email" where "no_such_col > 1", IsComplete "id" ]');
    expect(r.rules[0]!.outcome).toBe('ERROR');
    expect(r.rules[0]!.message).toContain('where clause is invalid');
    expect(r.rules[1]!.outcome).toBe('PASS');
  });

  test('score is null without rules and analyzers are unscored', async () => {
    const r = await run('Analyzers = [ RowCount, Completeness "email" ]');
    expect(r.score).toBeNull();
    expect(r.analyzers).toEqual([
      { analyzer: 'RowCount', metrics: { 'Dataset.*.RowCount': 5 } },
      { analyzer: 'Completeness "email"', metrics: { 'Column.email.Completeness': 0.8 } },
    ]);
  });
});

describe('uniqueness and keys', () => {
  test('IsUnique, Uniqueness, IsPrimaryKey', async () => {
    const r = await run(
      'Rules = [ IsUnique "id", Uniqueness "id" = 0.6, IsPrimaryKey "email", IsPrimaryKey "id" "email", IsUnique "id" where "id < 4" ]',
    );
    expect(r.rules.map((x) => x.outcome)).toEqual(['FAIL', 'PASS', 'FAIL', 'FAIL', 'PASS']);
    expect(r.rules[1]!.metrics).toEqual({ 'Column.id.Uniqueness': 0.6 });
    // email: 4 non-null values all distinct → unique but incomplete
    expect(r.rules[2]!.metrics).toEqual({ 'Column.email.Uniqueness': 1, 'Column.email.Completeness': 0.8 });
    expect(r.rules[3]!.metrics).toMatchObject({ 'Multicolumn.id,email.Uniqueness': 1 });
  });

  test('frequency metrics: DistinctValuesCount, UniqueValueRatio, Entropy', async () => {
    const r = await run(
      'Rules = [ DistinctValuesCount "country" = 3, UniqueValueRatio "country" between 0.6 and 0.7, Entropy "country" > 0.9 ]',
    );
    expect(r.rules.map((x) => x.outcome)).toEqual(['PASS', 'PASS', 'PASS']);
    // FR×3, DE, XX: -(0.6 ln 0.6 + 2·0.2 ln 0.2)
    expect(r.rules[2]!.metrics['Column.country.Entropy']).toBeCloseTo(
      -(0.6 * Math.log(0.6) + 0.4 * Math.log(0.2)),
    );
  });
});

describe('referential integrity', () => {
  test('single column against a reference alias', async () => {
    const r = await run('Rules = [ ReferentialIntegrity "data location" "reference.city" = 1.0 ]');
    expect(r.rules[0]).toMatchObject({
      outcome: 'FAIL',
      metrics: { 'Column.reference.ReferentialIntegrity': 0.8 },
    });
  });

  test('multi-column with brace syntax', async () => {
    const r = await run(
      'Rules = [ ReferentialIntegrity "data location,country" "reference.{city,cc}" between 0.7 and 0.9 ]',
    );
    expect(r.rules[0]).toMatchObject({
      outcome: 'PASS',
      metrics: { 'Column.reference.ReferentialIntegrity': 0.8 },
    });
  });

  test('unknown alias and unknown reference column are ERRORs', async () => {
    const r = await run(
      'Rules = [ ReferentialIntegrity "country" "nope.cc" = 1.0, ReferentialIntegrity "country" "reference.zz" = 1.0 ]',
    );
    expect(r.rules.map((x) => x.outcome)).toEqual(['ERROR', 'ERROR']);
    expect(r.rules[0]!.message).toContain('not found');
    expect(r.rules[1]!.message).toContain('does not exist');
  });
});

describe('statistics and values', () => {
  test('Mean, Sum, StandardDeviation (population), Variance ignore NULLs', async () => {
    const r = await run(
      'Rules = [ Mean "amount" = 25, Sum "amount" = 100, StandardDeviation "amount" > 11, Variance "amount" = 125 ]',
    );
    expect(r.rules.map((x) => x.outcome)).toEqual(['PASS', 'PASS', 'PASS', 'PASS']);
    expect(r.rules[2]!.metrics['Column.amount.StandardDeviation']).toBeCloseTo(Math.sqrt(125));
  });

  test('between is exclusive and not between inclusive of the bounds', async () => {
    const r = await run('Rules = [ RowCount between 4 and 5, RowCount not between 5 and 6 ]');
    expect(r.rules.map((x) => x.outcome)).toEqual(['FAIL', 'PASS']);
  });

  test('ColumnValues: NULL rows fail except with != / not in; with threshold', async () => {
    const r = await run(`Rules = [
      ColumnValues "country" in ["FR", "DE"],
      ColumnValues "country" in ["FR", "DE"] with threshold >= 0.8,
      ColumnValues "email" matches "[a-z]@x\\.com",
      ColumnValues "email" != "zzz",
      ColumnValues "amount" > 5,
      ColumnValues "load_dt" > "2023-12-31"
    ]`);
    expect(r.rules.map((x) => x.outcome)).toEqual(['FAIL', 'PASS', 'FAIL', 'PASS', 'FAIL', 'FAIL']);
    expect(r.rules[0]!.metrics['Column.country.ColumnValues.Compliance']).toBe(0.8);
  });

  test('CustomSql against primary and a reference alias', async () => {
    const r = await run(`Rules = [
      CustomSql "select count(*) from primary where country = 'FR'" = 3,
      CustomSql "select count(*) from reference" = 3,
      CustomSql "select id from primary where amount > 15" with threshold > 0.5,
      CustomSql "select broken syntax from"
    ]`);
    expect(r.rules.map((x) => x.outcome)).toEqual(['PASS', 'PASS', 'PASS', 'ERROR']);
    // rows are matched on the selected columns: ids 2, 3, 4 → both rows with id 4 pass
    expect(r.rules[2]!.metrics['Dataset.*.CustomSQL.Compliance']).toBe(0.8);
  });

  test('composite rules are one rule each', async () => {
    const r = await run(
      'Rules = [ (RowCount > 0) and (IsComplete "email"), (RowCount > 0) or (IsComplete "email") ]',
    );
    expect(r.rules.map((x) => [x.rule, x.outcome])).toEqual([
      ['(RowCount > 0) AND (IsComplete "email")', 'FAIL'],
      ['(RowCount > 0) OR (IsComplete "email")', 'PASS'],
    ]);
    expect(r.score).toBe(0.5);
  });
});

describe('dynamic rules', () => {
  test('last(k) aggregations read the metric history of the dataset', async () => {
    const history = new InMemoryMetricHistory();
    for (const [day, n] of [
      [1, 4],
      [2, 5],
      [3, 6],
    ] as const) {
      await history.record('customers', { at: new Date(2024, 0, day), metrics: { 'Dataset.*.RowCount': n } });
    }
    const r = await run(
      'Rules = [ RowCount >= avg(last(3)), RowCount > max(last(3)), RowCount = index(last(3), 1), RowCount < last() ]',
      { history },
    );
    expect(r.rules.map((x) => x.outcome)).toEqual(['PASS', 'FAIL', 'PASS', 'PASS']);
  });
});

describe('row-level evaluation', () => {
  test('per-row pass/fail/skip lists', async () => {
    const r = await evaluateRows({
      connection,
      primary: 'customers',
      ruleset: parse('Rules = [ IsComplete "email", RowCount > 0, IsUnique "id" ]'),
    });
    expect(r.rows.map((x) => x.DataQualityEvaluationResult)).toEqual([
      'Passed',
      'Passed',
      'Failed',
      'Failed',
      'Failed',
    ]);
    expect(r.rows[2]).toEqual({
      DataQualityRulesPass: ['IsUnique "id"'],
      DataQualityRulesFail: ['IsComplete "email"'],
      DataQualityRulesSkip: ['RowCount > 0'],
      DataQualityEvaluationResult: 'Failed',
    });
  });
});

describe('planning', () => {
  test('all simple aggregates (any where clause) share one scan; all frequency tables one statement; each key without a small integer range one sort', async () => {
    const scans: string[] = [];
    const r = await run(
      `Rules = [
        RowCount > 0, IsComplete "email", Completeness "amount" > 0.5, Mean "amount" > 0, Sum "amount" > 0,
        StandardDeviation "amount" > 0, ColumnValues "country" in ["FR","DE","XX"], ColumnLength "email" < 20,
        IsComplete "email" where "country = 'FR'", Mean "amount" > 0 where "id > 1",
        IsUnique "id", Uniqueness "email" > 0.5, Entropy "country" > 0, DistinctValuesCount "country" > 1,
        IsPrimaryKey "id" "email", UniqueValueRatio "country" > 0,
        IsUnique "email" where "country = 'FR'"
      ]`,
      { trace: (sql) => scans.push(sql) },
    );
    expect(r.rules.every((x) => x.outcome !== 'ERROR')).toBe(true);
    const sorts = scans.filter((q) => q.includes('ORDER BY h'));
    // Uniqueness "email", IsPrimaryKey "id" "email", IsUnique "email" where …: unique, so no grouping
    expect(sorts).toHaveLength(3);
    expect(sorts.filter((q) => q.includes('GROUP BY'))).toHaveLength(0);
    expect(scans.filter((q) => !sorts.includes(q))).toHaveLength(2);
    expect(scans.filter((q) => q.includes('GROUP BY'))).toHaveLength(1);
  });

  test('a unique integer column needs no frequency table; a duplicated one gets its exact Uniqueness', async () => {
    const scans: string[] = [];
    const r = await run(
      `Rules = [ IsUnique "id" where "id < 4", Uniqueness "id" > 0.5 where "id < 4", DistinctValuesCount "id" = 4 ]`,
      { trace: (sql) => scans.push(sql) },
    );
    expect(r.rules.map((x) => x.outcome)).toEqual(['PASS', 'PASS', 'PASS']);
    expect(r.rules[0]!.metrics).toEqual({ 'Column.id.Uniqueness': 1 });
    expect(scans).toHaveLength(1);
    expect(scans[0]).toContain('bitstring_agg');
    scans.length = 0;
    const dup = await run('Rules = [ IsUnique "id", Uniqueness "id" < 0.7 ]', {
      trace: (sql) => scans.push(sql),
    });
    expect(dup.rules.map((x) => x.outcome)).toEqual(['FAIL', 'PASS']);
    expect(dup.rules[0]!.metrics).toEqual({ 'Column.id.Uniqueness': 0.6 });
    expect(dup.rules[0]!.message).toBe('Value: 0.6 does not meet the constraint requirement!');
    expect(scans).toHaveLength(2);
  });

  test('a string key is checked exactly by sorting its hashes; only shared hashes are grouped by value', async () => {
    const scans: string[] = [];
    const r = await run('Rules = [ IsUnique "email", IsUnique "country", Uniqueness "country" = 0.4 ]', {
      trace: (sql) => scans.push(sql),
    });
    expect(r.rules.map((x) => x.outcome)).toEqual(['PASS', 'FAIL', 'PASS']);
    expect(r.rules[0]!.metrics).toEqual({ 'Column.email.Uniqueness': 1 });
    // FR three times, DE and XX once: 2 of 5 rows hold a value that occurs once
    expect(r.rules[1]!.metrics).toEqual({ 'Column.country.Uniqueness': 0.4 });
    const sorts = scans.filter((q) => q.includes('ORDER BY h'));
    // email: the sort alone; country: the sort, then one scan grouping the rows its filter lets through
    expect(sorts).toHaveLength(2);
    expect(sorts.filter((q) => q.includes('GROUP BY'))).toHaveLength(0);
    const grouped = scans.filter((q) => q.includes('GROUP BY'));
    expect(grouped).toHaveLength(1);
    expect(grouped[0]).toContain('get_bit');
  });

  test('a key with many duplicates gets the exact figures of a full frequency table, though its filter of shared hashes lets unique values through', async () => {
    // 100k values twice, 200k once: 100k set bits let ~2% of the unique rows through the filter
    await connection.run(`CREATE TABLE many AS
      SELECT 'k-' || (i % 300000)::VARCHAR AS k FROM range(400000) t(i)`);
    const scans: string[] = [];
    const r = await evaluateRuleset({
      connection,
      primary: 'many',
      ruleset: parse(
        'Rules = [ IsUnique "k", Uniqueness "k" > 0.1, DistinctValuesCount "k" > 0, Entropy "k" > 0 ]',
      ),
      trace: (sql) => scans.push(sql),
    });
    const [[unique, distinct, entropy]] = (
      await connection.runAndReadAll(`SELECT CAST(count(*) FILTER (WHERE c = 1) AS DOUBLE) / 400000,
        CAST(count(*) AS DOUBLE), -sum(c / 400000 * ln(c / 400000)) FROM (SELECT count(*) AS c FROM many GROUP BY k)`)
    ).getRows() as [[number, number, number]];
    expect(unique).toBe(0.5);
    expect(r.rules[0]!.metrics).toEqual({ 'Column.k.Uniqueness': unique });
    expect(r.rules[1]!.outcome).toBe('PASS');
    expect(r.rules[2]!.metrics).toEqual({ 'Column.k.DistinctValuesCount': distinct });
    expect(r.rules[3]!.metrics['Column.k.Entropy']).toBeCloseTo(entropy, 9);
    expect(scans.filter((q) => q.includes('get_bit'))).toHaveLength(1);
  });

  test('a sparse integer key with duplicates gets the exact Uniqueness of a frequency table', async () => {
    await connection.run(`CREATE TABLE sparse AS
      SELECT i * 1000000007 AS k FROM range(1000) t(i) UNION ALL SELECT k FROM (VALUES (7000000049), (NULL)) v(k)`);
    const r = await evaluateRuleset({
      connection,
      primary: 'sparse',
      ruleset: parse('Rules = [ IsUnique "k", Uniqueness "k" > 0.99, IsPrimaryKey "k" ]'),
    });
    expect(r.rules.map((x) => x.outcome)).toEqual(['FAIL', 'PASS', 'FAIL']);
    // 1001 non-NULL rows; the value 7·1000000007 occurs twice
    expect(r.rules[0]!.metrics['Column.k.Uniqueness']).toBe(999 / 1001);
  });

  test('the sorted uniqueness check leaves the memory limit as it was and spills outside the working folder, run after run', async () => {
    const setting = async (name: string) =>
      String((await connection.runAndReadAll(`SELECT current_setting('${name}')`)).getRows()[0]![0]);
    const before = await setting('memory_limit');
    for (let i = 0; i < 2; i++) {
      const r = await run('Rules = [ IsUnique "email" ]');
      expect(r.rules[0]!.outcome).toBe('PASS');
    }
    expect(await setting('memory_limit')).toBe(before);
    expect(await setting('temp_directory')).toBe(join(tmpdir(), 'autogov-duckdb'));
  });

  test('frequency tables leave the session settings as they were', async () => {
    const setting = async () =>
      (await connection.runAndReadAll("SELECT current_setting('perfect_ht_threshold')")).getRows()[0]![0];
    const before = await setting();
    const r = await run('Rules = [ Entropy "country" > 0, UniqueValueRatio "id" > 0 ]');
    expect(r.rules.map((x) => x.outcome)).toEqual(['PASS', 'PASS']);
    expect(await setting()).toBe(before);
  });

  test('a runtime failure in one aggregate only fails its own rule', async () => {
    const r = await run(
      `Rules = [ RowCount > 0, IsComplete "email" where "CAST(email AS INTEGER) > 0", Mean "amount" > 0 ]`,
    );
    expect(r.rules.map((x) => x.outcome)).toEqual(['PASS', 'ERROR', 'PASS']);
  });

  test('awkward relation and column names are quoted', async () => {
    const r = await evaluateRuleset({
      connection,
      primary: 'odd "name"',
      ruleset: parse('Rules = [ IsComplete "col \\"q\\"", RowCount = 1 ]'),
    });
    expect(r.rules.map((x) => x.outcome)).toEqual(['PASS', 'PASS']);
  });
});

describe('DATE columns against timestamps', () => {
  // A DATE column is compared with DATE literals (no per-row cast): each condition must select the
  // same rows as on the column cast to TIMESTAMP, also for bounds that are not midnight. (`=`/`in`
  // with quoted dates are string conditions, not date ones.)
  const conditions = [
    '> "2024-01-02"',
    '>= "2024-01-02"',
    '< "2024-01-02"',
    '<= "2024-01-02"',
    'between "2024-01-01" and "2024-01-03"',
    'not between "2024-01-01" and "2024-01-03"',
    '> (now() - 30 hours)',
    '>= (now() - 30 hours)',
    '< (now() - 30 hours)',
    '<= (now() - 30 hours)',
    '= (now() - 30 hours)',
    '!= (now() - 30 hours)',
    'between (now() - 54 hours) and (now() - 18 hours)',
    'not between (now() - 54 hours) and (now() - 18 hours)',
  ];
  const freshness = ['<= 36 hours', '> 36 hours', '< 2 days', '>= 2 days', 'between 12 hours and 60 hours'];

  beforeAll(async () => {
    await connection.run(`CREATE TABLE dates AS SELECT d, CAST(d AS TIMESTAMP) AS ts FROM (VALUES
      (DATE '2023-12-31'), (DATE '2024-01-01'), (DATE '2024-01-02'), (DATE '2024-01-03'), (DATE '2024-01-04'), (NULL)
    ) t(d)`);
  });

  test.each([
    ...conditions.map((c) => ['ColumnValues', c] as const),
    ...freshness.map((c) => ['DataFreshness', c] as const),
  ])('%s %s', async (type, cond) => {
    const r = await evaluateRuleset({
      connection,
      primary: 'dates',
      now: new Date('2024-01-04T12:00:00Z'),
      ruleset: parse(`Rules = [ ${type} "d" ${cond}, ${type} "ts" ${cond} ]`),
    });
    const [d, ts] = r.rules.map((x) => Object.values(x.metrics)[0]);
    expect(r.rules.map((x) => x.outcome)).not.toContain('ERROR');
    expect(d).toBeDefined();
    expect(d).toBe(ts);
  });
});

describe('analyzers and composites', () => {
  test('AllStatistics of a column', async () => {
    const r = await run('Analyzers = [ AllStatistics "amount" ]');
    expect(r.analyzers[0]!.metrics).toMatchObject({
      'Dataset.*.RowCount': 5,
      'Column.amount.Completeness': 0.8,
      'Column.amount.Mean': 25,
      'Column.amount.Minimum': 10,
      'Column.amount.Maximum': 40,
      'Column.amount.DistinctValuesCount': 4,
    });
  });

  test('ROW composite evaluation combines the rules row by row', async () => {
    const text = 'Rules = [ (ColumnValues "country" = "FR") or (ColumnValues "amount" > 25) ]';
    // column-wise both operands fail (not every country is FR, not every amount > 25);
    // row-wise every row is FR or has amount > 25 (DE 30, XX 40)
    const column = await run(text);
    const row = await run(text, { compositeRuleEvaluation: 'ROW' });
    expect(column.rules[0]!.outcome).toBe('FAIL');
    expect(row.rules[0]!.outcome).toBe('PASS');
  });
});

describe('DetectAnomalies', () => {
  test('mean ± 3σ over past values, with a minimum history', async () => {
    const history = new InMemoryMetricHistory();
    const first = await run('Rules = [ DetectAnomalies "RowCount" ]', { history });
    expect(first.rules[0]).toMatchObject({ outcome: 'PASS', metrics: { 'Dataset.*.RowCount': 5 } });
    expect(first.rules[0]!.message).toContain('Not enough history');
    for (const [day, n] of [
      [1, 100],
      [2, 102],
      [3, 98],
      [4, 101],
    ] as const) {
      await history.record('customers', { at: new Date(2024, 0, day), metrics: { 'Dataset.*.RowCount': n } });
    }
    const r = await run(
      'Rules = [ DetectAnomalies "RowCount", DetectAnomalies of Completeness of "email" ]',
      { history },
    );
    expect(r.rules[0]!.outcome).toBe('FAIL');
    expect(r.rules[0]!.message).toContain('outside the expected range');
    expect(r.rules[1]!.outcome).toBe('PASS'); // no Completeness history yet
  });
});

describe('File rules', () => {
  const day = 86_400_000;
  const now = new Date('2024-06-01T12:00:00Z');
  const contents: Record<string, string> = {
    's3://b/t/a.csv': 'hello',
    's3://b/t/b.csv': 'hello',
    's3://b/t/c.csv': 'world',
  };
  const files = new StaticFileSet(
    [
      { path: 's3://b/t/a.csv', size: 5, modified: new Date(now.getTime() - day) },
      { path: 's3://b/t/b.csv', size: 5, modified: new Date(now.getTime() - 3 * day) },
      { path: 's3://b/t/c.csv', size: 2048, modified: new Date(now.getTime() - 10 * day) },
    ],
    async (p) => new TextEncoder().encode(contents[p] ?? ''),
  );

  test('FileFreshness, FileSize (with threshold), FileUniqueness, FileMatch', async () => {
    const md5Hello = '5d41402abc4b2a76b9719d911017c592';
    const r = await run(
      `Rules = [
        FileFreshness "s3://b/t/" > (now() - 5 days),
        FileFreshness "s3://b/t/" > (now() - 5 days) with threshold > 0.6,
        FileSize "s3://b/t/" < 1 KB with threshold >= 0.6,
        FileUniqueness "s3://b/t/" > 0.5,
        FileMatch "s3://b/t/a.csv" in ["${md5Hello}"] with hashAlgorithm = "MD5",
        FileMatch "s3://b/t/a.csv" "s3://b/t/b.csv"
      ]`,
      { files, now },
    );
    expect(r.rules.map((x) => x.outcome)).toEqual(['FAIL', 'PASS', 'PASS', 'FAIL', 'PASS', 'PASS']);
    expect(r.rules[0]!.metrics).toEqual({
      'Dataset.*.FileCount': 3,
      'Dataset.*.FileFreshness.Compliance': 2 / 3,
    });
    expect(r.rules[3]!.metrics['Dataset.*.FileUniquenessRatio']).toBeCloseTo(1 / 3);
  });

  test('without a FileSet the rule is an ERROR', async () => {
    const r = await run('Rules = [ FileSize "s3://b/" > 1 B ]');
    expect(r.rules[0]!.outcome).toBe('ERROR');
  });
});

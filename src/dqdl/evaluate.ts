// Public API of the DQDL evaluator on DuckDB. Rules compile to metric requests (rules.ts), the
// planner runs them in as few scans as possible (plan.ts), then each rule's verdict is read off the
// metrics. Score = passed rules / all rules (ERROR counts against; a composite is one rule;
// analyzers are unscored).
import type { DuckDBConnection } from '@duckdb/node-api';
import type { Analyzer, CompositeRule, Rule, RuleNode, Ruleset } from './ast';
import { EXTRA_COMPILERS } from './extras';
import type { FileSet, MetricHistory } from './history';
import { type MetricStore, Planner } from './plan';
import { printAnalyzer, printRule as ruleText } from './print';
import { type CompiledRule, compileRule, type Env, type Outcome, type Verdict } from './rules';
import { describe, errorText, queryArrays, quoteTable } from './sql';

export interface EvaluationInput {
  connection: DuckDBConnection;
  /** name of an existing DuckDB table/view with the data */
  primary: string;
  /** DQDL alias (e.g. "reference") → DuckDB table/view name */
  references?: Record<string, string>;
  ruleset: Ruleset;
  now?: Date;
  /** past metric values per dataset, for dynamic rules / DetectAnomalies */
  history?: MetricHistory;
  /** key of this dataset in `history` (default: `primary`) */
  datasetKey?: string;
  /** the table's files, for File* rules */
  files?: FileSet;
  compositeRuleEvaluation?: 'COLUMN' | 'ROW';
  /** observer of the metric scan queries (tests, debugging) */
  trace?: (sql: string) => void;
}

export interface RuleOutcome {
  rule: string;
  outcome: 'PASS' | 'FAIL' | 'ERROR';
  message?: string;
  metrics: Record<string, number>;
}

export interface EvaluationResult {
  score: number | null;
  rules: RuleOutcome[];
  analyzers: { analyzer: string; metrics: Record<string, number> }[];
}

/** Rule types Glue excludes from row-wise composite evaluation. */
const ROW_COMPOSITE_EXCLUDED = new Set([
  'Completeness',
  'Uniqueness',
  'ReferentialIntegrity',
  'DatasetMatch',
]);

interface Prepared {
  env: Env;
  leaves: Map<Rule, CompiledRule>;
  analyzers: { analyzer: Analyzer; compiled: CompiledRule[]; text: string; error?: string }[];
}

async function prepare(input: EvaluationInput): Promise<Prepared> {
  const relation = quoteTable(input.primary);
  const columns = await describe(input.connection, relation);
  const env: Env = {
    connection: input.connection,
    relation,
    columns,
    references: input.references ?? {},
    variables: input.ruleset.variables ?? {},
    now: input.now ?? new Date(),
    history: input.history,
    datasetKey: input.datasetKey ?? input.primary,
    files: input.files,
    planner: new Planner(input.connection, relation, input.trace),
    whereCache: new Map(),
    refColumns: new Map(),
    bitBounds: new Map(),
  };
  const leaves = new Map<Rule, CompiledRule>();
  const visit = async (n: RuleNode): Promise<void> => {
    if (n.kind === 'composite') {
      for (const o of n.operands) await visit(o);
      return;
    }
    leaves.set(n, await compileRule(n, env, EXTRA_COMPILERS));
  };
  for (const r of input.ruleset.rules) await visit(r);
  const analyzers: Prepared['analyzers'] = [];
  for (const a of input.ruleset.analyzers ?? []) {
    const text = analyzerText(a);
    try {
      const rules = analyzerRules(a, env);
      const compiled: CompiledRule[] = [];
      for (const r of rules) compiled.push(await compileRule(r, env, EXTRA_COMPILERS));
      analyzers.push({ analyzer: a, compiled, text });
    } catch (err) {
      analyzers.push({ analyzer: a, compiled: [], text, error: errorText(err) });
    }
  }
  return { env, leaves, analyzers };
}

export async function evaluateRuleset(input: EvaluationInput): Promise<EvaluationResult> {
  return (await evaluatePrepared(input)).result;
}

async function evaluatePrepared(
  input: EvaluationInput,
): Promise<{ result: EvaluationResult; prep: Prepared }> {
  const prep = await prepare(input);
  const store = await prep.env.planner.run();
  const verdicts = new Map<Rule, Verdict>();
  for (const [rule, compiled] of prep.leaves) verdicts.set(rule, await compiled.verdict(store));

  const rules: RuleOutcome[] = [];
  for (const node of input.ruleset.rules) {
    let v: Verdict;
    if (node.kind === 'composite' && input.compositeRuleEvaluation === 'ROW') {
      v = (await rowComposite(node, prep)) ?? combine(node, verdicts);
    } else v = node.kind === 'composite' ? combine(node, verdicts) : verdicts.get(node)!;
    rules.push({
      rule: ruleText(node),
      outcome: v.outcome,
      ...(v.message ? { message: v.message } : {}),
      metrics: v.metrics,
    });
  }
  const analyzers = await analyzerResults(prep, store);
  const passed = rules.filter((r) => r.outcome === 'PASS').length;
  return { result: { score: rules.length ? passed / rules.length : null, rules, analyzers }, prep };
}

function combine(node: RuleNode, verdicts: Map<Rule, Verdict>): Verdict {
  if (node.kind === 'rule') return verdicts.get(node)!;
  const parts = node.operands.map((o) => combine(o, verdicts));
  const metrics = Object.assign({}, ...parts.map((p) => p.metrics));
  const has = (o: Outcome) => parts.some((p) => p.outcome === o);
  let outcome: Outcome;
  if (node.op === 'and') outcome = has('FAIL') ? 'FAIL' : has('ERROR') ? 'ERROR' : 'PASS';
  else outcome = has('PASS') ? 'PASS' : has('ERROR') ? 'ERROR' : 'FAIL';
  if (outcome === 'PASS') return { outcome, metrics };
  const reasons = parts
    .map((p, i) =>
      p.outcome !== 'PASS' ? `(${ruleText(node.operands[i]!)}): ${p.message ?? p.outcome}` : undefined,
    )
    .filter((s): s is string => !!s);
  return { outcome, message: reasons.join(node.op === 'and' ? '; ' : ' and '), metrics };
}

/** Row-wise predicate of a rule tree, or undefined when some leaf has no row-level reading. */
function rowPredicate(node: RuleNode, prep: Prepared, excluded?: Set<string>): string | undefined {
  if (node.kind === 'rule') {
    if (excluded?.has(node.type)) return undefined;
    const rl = prep.leaves.get(node)?.rowLevel;
    if (!rl) return undefined;
    return rl.where
      ? `(CASE WHEN COALESCE(${rl.where}, false) THEN ${rl.predicate} ELSE true END)`
      : `(${rl.predicate})`;
  }
  const parts = node.operands.map((o) => rowPredicate(o, prep, excluded));
  if (parts.some((p) => p === undefined)) return undefined;
  return `(${parts.join(node.op === 'and' ? ' AND ' : ' OR ')})`;
}

/** ROW composite evaluation: the composite passes when every row satisfies the combined predicate. */
async function rowComposite(node: CompositeRule, prep: Prepared): Promise<Verdict | undefined> {
  const pred = rowPredicate(node, prep, ROW_COMPOSITE_EXCLUDED);
  if (!pred) return undefined;
  try {
    const { rows } = await queryArrays(
      prep.env.connection,
      `SELECT CAST(count(*) AS DOUBLE), CAST(count(*) FILTER (WHERE COALESCE(${pred}, false)) AS DOUBLE) FROM (SELECT * FROM ${prep.env.relation}) AS __p`,
    );
    const total = Number(rows[0]![0]);
    const passing = Number(rows[0]![1]);
    const metrics = { 'Dataset.*.CompositeRule.Compliance': total === 0 ? 1 : passing / total };
    return passing === total
      ? { outcome: 'PASS', metrics }
      : {
          outcome: 'FAIL',
          message: `${total - passing} of ${total} rows failed the composite rule`,
          metrics,
        };
  } catch (err) {
    return { outcome: 'ERROR', message: errorText(err), metrics: {} };
  }
}

// ---- analyzers --------------------------------------------------------------------------

function analyzerText(a: Analyzer): string {
  return printAnalyzer(a);
}

const ANY: Rule['condition'] = {
  kind: 'number',
  op: 'between',
  low: { kind: 'number', value: Number.NEGATIVE_INFINITY, text: '-Infinity' },
  high: { kind: 'number', value: Number.POSITIVE_INFINITY, text: 'Infinity' },
};

/** An analyzer runs as the rules of its metrics with an always-true condition. */
function analyzerRules(a: Analyzer, env: Env): Rule[] {
  const mk = (type: string, params: string[]): Rule => ({
    kind: 'rule',
    type,
    parameters: params.map((value) => ({ value, quoted: true })),
    condition: ANY,
    tags: {},
    position: a.position,
  });
  if (a.type !== 'AllStatistics')
    return [
      mk(
        a.type,
        a.parameters.map((p) => p.value),
      ),
    ];
  const target = a.parameters[0]?.value;
  const cols =
    target === undefined || target === 'AllColumns'
      ? env.columns
      : env.columns.filter((c) => c.name === target);
  if (cols.length === 0) throw new Error(`Column "${target}" does not exist in the dataset`);
  const rules: Rule[] = [mk('RowCount', [])];
  for (const c of cols) {
    rules.push(mk('Completeness', [c.name]), mk('Uniqueness', [c.name]), mk('DistinctValuesCount', [c.name]));
    rules.push(mk('UniqueValueRatio', [c.name]), mk('Entropy', [c.name]));
    if (/^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|FLOAT|DOUBLE|DECIMAL|U)/.test(c.type)) {
      rules.push(mk('Mean', [c.name]), mk('Sum', [c.name]), mk('StandardDeviation', [c.name]));
      rules.push(mk('Minimum', [c.name]), mk('Maximum', [c.name]));
    } else if (c.type.startsWith('VARCHAR')) rules.push(mk('ColumnLength', [c.name]));
  }
  return rules;
}

async function analyzerResults(prep: Prepared, store: MetricStore): Promise<EvaluationResult['analyzers']> {
  const out: EvaluationResult['analyzers'] = [];
  for (const a of prep.analyzers) {
    const metrics: Record<string, number> = {};
    for (const c of a.compiled) {
      const v = await c.verdict(store);
      Object.assign(metrics, v.metrics);
    }
    out.push({ analyzer: a.text, metrics });
  }
  return out;
}

// ---- row-level API ----------------------------------------------------------------------

export interface RowOutcome {
  DataQualityRulesPass: string[];
  DataQualityRulesFail: string[];
  DataQualityRulesSkip: string[];
  DataQualityEvaluationResult: 'Passed' | 'Failed';
}

export interface RowLevelResult extends EvaluationResult {
  /** one entry per primary row, in the relation's scan order */
  rows: RowOutcome[];
}

/**
 * Row-level evaluation (Glue `process_rows`): the dataset-level results plus, per row, the rules it
 * passed, failed, or for which no row-level reading exists (skipped, e.g. RowCount, Mean).
 * A row whose where clause is false passes that rule. Rules that could not be evaluated fail every row.
 */
export async function evaluateRows(input: EvaluationInput): Promise<RowLevelResult> {
  const { result, prep } = await evaluatePrepared(input);
  const items: { text: string; pred?: string }[] = input.ruleset.rules.map((node, i) => {
    const pred = rowPredicate(node, prep);
    const failedOutright =
      result.rules[i]!.outcome === 'ERROR' && node.kind === 'rule' && node.type === 'CustomSql';
    return { text: ruleText(node), pred: failedOutright ? 'false' : pred };
  });
  const withPred = items.filter((i) => i.pred !== undefined);
  const select = withPred.map((it, i) => `COALESCE(${it.pred}, false) AS __r${i}`);
  const sql = `WITH __base AS (SELECT *, row_number() OVER () AS __dq_rn FROM ${prep.env.relation})
    SELECT __dq_rn${select.length ? `, ${select.join(', ')}` : ''} FROM __base AS __p ORDER BY __dq_rn`;
  let rows: (string | number | boolean | null)[][];
  try {
    rows = (await queryArrays(prep.env.connection, sql)).rows;
  } catch {
    // a failing row-level expression: evaluate rules one by one so only that rule fails its rows
    rows = await rowsOneByOne(prep, withPred);
  }
  return {
    ...result,
    rows: rows.map((r) => {
      const out: RowOutcome = {
        DataQualityRulesPass: [],
        DataQualityRulesFail: [],
        DataQualityRulesSkip: [],
        DataQualityEvaluationResult: 'Passed',
      };
      let k = 0;
      for (const it of items) {
        if (it.pred === undefined) out.DataQualityRulesSkip.push(it.text);
        else if (r[1 + k++] === true) out.DataQualityRulesPass.push(it.text);
        else out.DataQualityRulesFail.push(it.text);
      }
      if (out.DataQualityRulesFail.length) out.DataQualityEvaluationResult = 'Failed';
      return out;
    }),
  };
}

async function rowsOneByOne(
  prep: Prepared,
  items: { pred?: string }[],
): Promise<(string | number | boolean | null)[][]> {
  const base = `WITH __base AS (SELECT *, row_number() OVER () AS __dq_rn FROM ${prep.env.relation})`;
  const { rows } = await queryArrays(
    prep.env.connection,
    `${base} SELECT __dq_rn FROM __base ORDER BY __dq_rn`,
  );
  for (const it of items) {
    let col: (string | number | boolean | null)[];
    try {
      const r = await queryArrays(
        prep.env.connection,
        `${base} SELECT COALESCE(${it.pred}, false) FROM __base AS __p ORDER BY __dq_rn`,
      );
      col = r.rows.map((x) => x[0] ?? false);
    } catch {
      col = rows.map(() => false);
    }
    rows.forEach((r, i) => {
      r.push(col[i] ?? false);
    });
  }
  return rows;
}

export type { MetricStore };

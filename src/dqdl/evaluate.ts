// Public API of the DQDL evaluator on DuckDB. Rules compile to metric requests (rules.ts), the
// planner runs them in as few scans as possible (plan.ts), then each rule's verdict is read off the
// metrics. Score = passed rules / all rules (ERROR counts against; a composite is one rule;
// analyzers are unscored).
import type { DuckDBConnection } from '@duckdb/node-api';
import type { Analyzer, Rule, RuleNode, Ruleset } from './ast';
import { EXTRA_COMPILERS } from './extras';
import type { FileSet, MetricHistory } from './history';
import { type MetricStore, Planner } from './plan';
import { printAnalyzer, printRule as ruleText } from './print';
import { type RowContext, type RowOutcome, rowComposite, rowOutcomes } from './rowlevel';
import { type CompiledRule, compileRule, type Env, type Outcome, type Verdict } from './rules';
import { describe, errorText, quoteTable } from './sql';

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

interface Prepared extends RowContext {
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

/**
 * Row-level evaluation (Glue `process_rows`): the dataset-level results plus, per row, the rules it
 * passed, failed, or for which no row-level reading exists (see rowlevel.ts).
 */
export async function evaluateRows(input: EvaluationInput): Promise<RowLevelResult> {
  const { result, prep } = await evaluatePrepared(input);
  return { ...result, rows: await rowOutcomes(input.ruleset, result.rules, prep) };
}

export interface RowLevelResult extends EvaluationResult {
  /** one entry per primary row, in the relation's scan order */
  rows: RowOutcome[];
}

export type { MetricStore, RowOutcome };

// Row-level readings of a ruleset: per-row outcomes (Glue `process_rows`) and the ROW method of
// composite rules. Each leaf rule with a per-row reading contributes a SQL predicate (rules.ts);
// a rule tree combines them with AND/OR; a row whose where clause is false passes that rule.
import type { CompositeRule, Rule, RuleNode, Ruleset } from './ast';
import { printRule as ruleText } from './print';
import type { CompiledRule, Env, Verdict } from './rules';
import { type Cell, errorText, queryArrays } from './sql';

/** What row-level evaluation needs from a prepared ruleset. */
export interface RowContext {
  env: Env;
  leaves: Map<Rule, CompiledRule>;
}

export interface RowOutcome {
  DataQualityRulesPass: string[];
  DataQualityRulesFail: string[];
  DataQualityRulesSkip: string[];
  DataQualityEvaluationResult: 'Passed' | 'Failed';
}

/** Rule types Glue excludes from row-wise composite evaluation. */
const ROW_COMPOSITE_EXCLUDED = new Set([
  'Completeness',
  'Uniqueness',
  'ReferentialIntegrity',
  'DatasetMatch',
]);

/** Row-wise predicate of a rule tree, or undefined when some leaf has no row-level reading. */
function rowPredicate(node: RuleNode, ctx: RowContext, excluded?: Set<string>): string | undefined {
  if (node.kind === 'rule') {
    if (excluded?.has(node.type)) return undefined;
    const rl = ctx.leaves.get(node)?.rowLevel;
    if (!rl) return undefined;
    return rl.where
      ? `(CASE WHEN COALESCE(${rl.where}, false) THEN ${rl.predicate} ELSE true END)`
      : `(${rl.predicate})`;
  }
  const parts = node.operands.map((o) => rowPredicate(o, ctx, excluded));
  if (parts.some((p) => p === undefined)) return undefined;
  return `(${parts.join(node.op === 'and' ? ' AND ' : ' OR ')})`;
}

/**
 * ROW composite evaluation: the composite passes when every row satisfies the combined predicate.
 * Undefined when some leaf has no row-level reading (the caller combines dataset-level verdicts).
 */
export async function rowComposite(node: CompositeRule, ctx: RowContext): Promise<Verdict | undefined> {
  const pred = rowPredicate(node, ctx, ROW_COMPOSITE_EXCLUDED);
  if (!pred) return undefined;
  try {
    const { rows } = await queryArrays(
      ctx.env.connection,
      `SELECT CAST(count(*) AS DOUBLE), CAST(count(*) FILTER (WHERE COALESCE(${pred}, false)) AS DOUBLE) FROM (SELECT * FROM ${ctx.env.relation}) AS __p`,
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

/**
 * Per-row outcomes, in the relation's scan order: the rules each row passed, failed, or for which no
 * row-level reading exists (skipped, e.g. RowCount, Mean). A CustomSql rule in ERROR fails every row.
 */
export async function rowOutcomes(
  ruleset: Ruleset,
  results: { outcome: string }[],
  ctx: RowContext,
): Promise<RowOutcome[]> {
  const items: { text: string; pred?: string }[] = ruleset.rules.map((node, i) => {
    const pred = rowPredicate(node, ctx);
    const failedOutright =
      results[i]!.outcome === 'ERROR' && node.kind === 'rule' && node.type === 'CustomSql';
    return { text: ruleText(node), pred: failedOutright ? 'false' : pred };
  });
  const withPred = items.filter((i) => i.pred !== undefined);
  const select = withPred.map((it, i) => `COALESCE(${it.pred}, false) AS __r${i}`);
  const sql = `WITH __base AS (SELECT *, row_number() OVER () AS __dq_rn FROM ${ctx.env.relation})
    SELECT __dq_rn${select.length ? `, ${select.join(', ')}` : ''} FROM __base AS __p ORDER BY __dq_rn`;
  let rows: Cell[][];
  try {
    rows = (await queryArrays(ctx.env.connection, sql)).rows;
  } catch {
    // a failing row-level expression: evaluate rules one by one so only that rule fails its rows
    rows = await rowsOneByOne(ctx, withPred);
  }
  return rows.map((r) => {
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
  });
}

async function rowsOneByOne(ctx: RowContext, items: { pred?: string }[]): Promise<Cell[][]> {
  const base = `WITH __base AS (SELECT *, row_number() OVER () AS __dq_rn FROM ${ctx.env.relation})`;
  const { rows } = await queryArrays(
    ctx.env.connection,
    `${base} SELECT __dq_rn FROM __base ORDER BY __dq_rn`,
  );
  for (const it of items) {
    let col: Cell[];
    try {
      const r = await queryArrays(
        ctx.env.connection,
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

// Rule types beyond column metrics: Minimum/Maximum (AllStatistics building blocks),
// DetectAnomalies (metric history) and the File* rules (FileSet port).
import { createHash } from 'node:crypto';
import type { Rule, StringCondition } from './ast';
import {
  constraintMessage,
  EvaluationError,
  formatNumber,
  resolveCondition,
  resolveNumberCondition,
  testResolved,
  testString,
} from './conditions';
import type { FileEntry } from './history';
import { agg } from './metrics';
import { COMPILERS, type CompiledRule, type Env, type Verdict } from './rules';
import { errorText, isNumericType, resolveColumn } from './sql';

type Compiler = (rule: Rule, env: Env) => Promise<CompiledRule>;

function safe(fn: () => Promise<Verdict>): () => Promise<Verdict> {
  return async () => {
    try {
      return await fn();
    } catch (err) {
      return { outcome: 'ERROR', message: errorText(err), metrics: {} };
    }
  };
}

/** Minimum / Maximum of a numeric column (analyzer metrics; not DQDL rule types). */
const extreme =
  (name: 'Minimum' | 'Maximum'): Compiler =>
  async (rule, env) => {
    const colName = rule.parameters[0]?.value ?? '';
    const c = resolveColumn(env.columns, colName);
    if (!c) throw new EvaluationError(`Column "${colName}" does not exist in the dataset`);
    const req = agg(
      name === 'Minimum' ? 'min' : 'max',
      isNumericType(c.type) ? c.sql : `TRY_CAST(${c.sql} AS DOUBLE)`,
    );
    env.planner.add(req);
    const metric = `Column.${colName}.${name}`;
    return {
      verdict: async (store) => {
        const v = store.agg(req);
        if (!v.ok) return { outcome: 'ERROR', message: v.error, metrics: {} };
        return { outcome: 'PASS', metrics: { [metric]: v.value } };
      },
    };
  };

// ---- DetectAnomalies ----------------------------------------------------------------------

/** Past values needed before a value can be called anomalous. */
export const ANOMALY_MIN_HISTORY = 3;
/** Past values considered (most recent first). */
export const ANOMALY_WINDOW = 20;
/** Width of the expected band, in population standard deviations. */
export const ANOMALY_SIGMAS = 3;

/**
 * `DetectAnomalies "RowCount"` / `DetectAnomalies of Completeness of "c"`: computes the metric of the
 * named rule type and compares it with the last ANOMALY_WINDOW recorded values of the same metric.
 * Method: the value is anomalous when it falls outside mean ± ANOMALY_SIGMAS·σ (population σ) of
 * that history; with σ = 0 any change is anomalous. With fewer than ANOMALY_MIN_HISTORY values
 * the rule passes and says so (nothing to compare with yet) — the metric is still reported so the
 * history grows.
 */
const detectAnomalies: Compiler = async (rule, env) => {
  const [first, ...rest] = rule.parameters;
  if (!first) throw new EvaluationError('DetectAnomalies needs a metric, e.g. DetectAnomalies "RowCount"');
  const innerType = first.value;
  const inner = COMPILERS[innerType];
  if (
    !inner ||
    ['ColumnExists', 'ColumnNamesMatchPattern', 'IsComplete', 'IsUnique', 'IsPrimaryKey'].includes(innerType)
  )
    throw new EvaluationError(`DetectAnomalies does not support the metric ${innerType}`);
  const compiled = await inner(
    {
      kind: 'rule',
      type: innerType,
      parameters: rest,
      condition: {
        kind: 'number',
        op: 'between',
        low: { kind: 'number', value: Number.NEGATIVE_INFINITY, text: '-Infinity' },
        high: { kind: 'number', value: Number.POSITIVE_INFINITY, text: 'Infinity' },
      },
      tags: {},
      position: rule.position,
    },
    env,
  );
  return {
    verdict: async (store) => {
      const v = await compiled.verdict(store);
      if (v.outcome === 'ERROR') return v;
      const entry = Object.entries(v.metrics)[0];
      if (!entry) return { outcome: 'ERROR', message: `${innerType} produced no metric`, metrics: {} };
      const [metric, value] = entry;
      if (!env.history)
        return { outcome: 'ERROR', message: 'DetectAnomalies needs metric history', metrics: v.metrics };
      const past = await env.history.values(env.datasetKey, metric, ANOMALY_WINDOW);
      if (past.length < ANOMALY_MIN_HISTORY) {
        return {
          outcome: 'PASS',
          message: `Not enough history to detect anomalies (${past.length} of ${ANOMALY_MIN_HISTORY} past values)`,
          metrics: v.metrics,
        };
      }
      const mean = past.reduce((a, b) => a + b, 0) / past.length;
      const sigma = Math.sqrt(past.reduce((a, b) => a + (b - mean) ** 2, 0) / past.length);
      const lower = mean - ANOMALY_SIGMAS * sigma;
      const upper = mean + ANOMALY_SIGMAS * sigma;
      const metrics = { ...v.metrics, [`${metric}.LowerLimit`]: lower, [`${metric}.UpperLimit`]: upper };
      if (value >= lower && value <= upper && !Number.isNaN(value)) return { outcome: 'PASS', metrics };
      return {
        outcome: 'FAIL',
        message: `Anomaly: ${metric} = ${formatNumber(value)} is outside the expected range [${formatNumber(lower)}, ${formatNumber(upper)}] of the last ${past.length} values`,
        metrics,
      };
    },
  };
};

// ---- File rules ---------------------------------------------------------------------------

async function selectFiles(rule: Rule, env: Env, path?: string): Promise<FileEntry[]> {
  if (!env.files) throw new EvaluationError(`${rule.type} needs the table's files, none were provided`);
  let files = await env.files.list(path);
  const uriRegex = rule.tags.uriRegex;
  if (uriRegex?.kind === 'string') {
    const re = new RegExp(uriRegex.value);
    files = files.filter((f) => re.test(f.path));
  }
  const recent = rule.tags.recentFiles;
  if (recent) {
    const n = Number(recent.value);
    files = [...files].sort((a, b) => b.modified.getTime() - a.modified.getTime()).slice(0, n);
  }
  return files;
}

const HASHES: Record<string, string> = {
  MD5: 'md5',
  'SHA-1': 'sha1',
  SHA1: 'sha1',
  'SHA-256': 'sha256',
  SHA256: 'sha256',
};

async function checksum(env: Env, rule: Rule, path: string): Promise<string> {
  const tag = rule.tags.hashAlgorithm;
  const name = tag?.kind === 'string' ? tag.value.toUpperCase() : 'SHA-256';
  const algo = HASHES[name];
  if (!algo) throw new EvaluationError(`Unsupported hashAlgorithm "${name}" (MD5, SHA-1, SHA-256)`);
  return createHash(algo)
    .update(await env.files!.read(path))
    .digest('hex');
}

function pathParam(rule: Rule, i = 0): string | undefined {
  return rule.parameters[i]?.value;
}

/** FileFreshness / FileSize: fraction of files whose modified time / size satisfies the condition. */
const fileCompliance =
  (kind: 'FileFreshness' | 'FileSize'): Compiler =>
  async (rule, env) => ({
    verdict: safe(async () => {
      const cond = rule.condition;
      const expected = kind === 'FileFreshness' ? 'date' : 'size';
      if (!cond || cond.kind !== expected) throw new EvaluationError(`${kind} needs a ${expected} condition`);
      const tz = rule.tags.timeZone;
      const resolved = await resolveCondition(cond, {
        now: env.now,
        variables: env.variables,
        timeZone: tz?.kind === 'string' ? tz.value : undefined,
      });
      const files = await selectFiles(rule, env, pathParam(rule));
      const metrics: Record<string, number> = { 'Dataset.*.FileCount': files.length };
      if (files.length === 0) return { outcome: 'FAIL', message: 'No files found', metrics };
      const val = (f: FileEntry) => (kind === 'FileFreshness' ? f.modified.getTime() : f.size);
      const passing = files.filter((f) => testResolved(val(f), resolved)).length;
      const compliance = passing / files.length;
      metrics[`Dataset.*.${kind}.Compliance`] = compliance;
      if (kind === 'FileSize') {
        metrics['Dataset.*.MinimumFileSize'] = Math.min(...files.map((f) => f.size));
        metrics['Dataset.*.MaximumFileSize'] = Math.max(...files.map((f) => f.size));
      }
      if (rule.threshold) {
        const t = await resolveNumberCondition(rule.threshold, { now: env.now, variables: env.variables });
        return testResolved(compliance, t)
          ? { outcome: 'PASS', metrics }
          : { outcome: 'FAIL', message: constraintMessage(compliance), metrics };
      }
      return compliance === 1
        ? { outcome: 'PASS', metrics }
        : {
            outcome: 'FAIL',
            message: `${files.length - passing} of ${files.length} files do not satisfy the condition`,
            metrics,
          };
    }),
  });

const fileUniqueness: Compiler = async (rule, env) => ({
  verdict: safe(async () => {
    const files = await selectFiles(rule, env, pathParam(rule));
    const sums = await Promise.all(files.map((f) => checksum(env, rule, f.path)));
    const counts = new Map<string, number>();
    for (const s of sums) counts.set(s, (counts.get(s) ?? 0) + 1);
    const unique = [...counts.values()].filter((n) => n === 1).length;
    const v = files.length === 0 ? Number.NaN : unique / files.length;
    const metrics = { 'Dataset.*.FileUniquenessRatio': v, 'Dataset.*.FileCount': files.length };
    const cond = rule.condition;
    if (cond?.kind !== 'number') throw new EvaluationError('FileUniqueness needs a number condition');
    const r = await resolveNumberCondition(cond, { now: env.now, variables: env.variables });
    return testResolved(Number.isNaN(v) ? null : v, r)
      ? { outcome: 'PASS', metrics }
      : { outcome: 'FAIL', message: constraintMessage(v), metrics };
  }),
});

/**
 * FileMatch "p" in ["<hash>", …] (with hashAlgorithm): every file's checksum is listed;
 * FileMatch "p1" "p2": every file under p1 has a byte-identical file under p2.
 */
const fileMatch: Compiler = async (rule, env) => ({
  verdict: safe(async () => {
    if (rule.parameters.length === 2) {
      const [a, b] = await Promise.all([
        selectFiles(rule, env, pathParam(rule, 0)),
        selectFiles(rule, env, pathParam(rule, 1)),
      ]);
      const other = new Set(await Promise.all(b.map((f) => checksum(env, rule, f.path))));
      const missing: string[] = [];
      for (const f of a) if (!other.has(await checksum(env, rule, f.path))) missing.push(f.path);
      const metrics = { 'Dataset.*.FileCount': a.length };
      if (a.length > 0 && missing.length === 0) return { outcome: 'PASS', metrics };
      return {
        outcome: 'FAIL',
        message: a.length === 0 ? 'No files found' : `Files without a match: ${missing.join(', ')}`,
        metrics,
      };
    }
    const cond = rule.condition;
    if (cond?.kind !== 'string')
      throw new EvaluationError('FileMatch needs a checksum condition, e.g. in ["…"]');
    const files = await selectFiles(rule, env, pathParam(rule));
    const metrics = { 'Dataset.*.FileCount': files.length };
    if (files.length === 0) return { outcome: 'FAIL', message: 'No files found', metrics };
    const bad: string[] = [];
    for (const f of files) {
      if (!testString(await checksum(env, rule, f.path), cond as StringCondition, env, true))
        bad.push(f.path);
    }
    return bad.length === 0
      ? { outcome: 'PASS', metrics }
      : { outcome: 'FAIL', message: `Checksum does not match for: ${bad.join(', ')}`, metrics };
  }),
});

export const EXTRA_COMPILERS: Record<string, Compiler> = {
  Minimum: extreme('Minimum'),
  Maximum: extreme('Maximum'),
  DetectAnomalies: detectAnomalies,
  FileFreshness: fileCompliance('FileFreshness'),
  FileSize: fileCompliance('FileSize'),
  FileUniqueness: fileUniqueness,
  FileMatch: fileMatch,
};

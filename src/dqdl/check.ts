// `autogov dq check FILE.dqdl DATA [--ref ALIAS=DATA …]`: evaluates a ruleset against local data
// files (CSV with a header row, JSON lines, Parquet; a file or a folder) on a private in-memory DuckDB.
import { DuckDBInstance } from '@duckdb/node-api';
import { z } from 'zod';
import { listDataFiles } from '../data/files';
import { type StageableFile, stageableFile } from '../data/json-array';
import { createTableView } from '../data/source';
import { UserError } from '../errors';
import { confineToFiles } from '../sql/sandbox';
import { type EvaluationResult, evaluateRuleset } from './evaluate';
import type { FileSet, MetricHistory } from './history';
import { parseDqdl } from './parse';

/** A data file or a folder of data files. */
export type DataSource = string;

export interface CheckOptions {
  now?: Date;
  history?: MetricHistory;
  files?: FileSet;
  compositeRuleEvaluation?: 'COLUMN' | 'ROW';
  /** names the ruleset in parse errors (default `ruleset`) */
  rulesetLabel?: string;
}

const Inputs = z.object({
  primary: z.string().min(1, 'the data path is empty'),
  refs: z.record(
    z.string().regex(/^[A-Za-z0-9_.-]+$/, 'a reference alias is letters, digits, _ . or -'),
    z.string().min(1, 'the reference data path is empty'),
  ),
});

export async function checkDqdl(
  rulesetText: string,
  primary: DataSource,
  refs: Record<string, DataSource> = {},
  options: CheckOptions = {},
): Promise<EvaluationResult> {
  const inputs = Inputs.safeParse({ primary, refs });
  if (!inputs.success) {
    const issue = inputs.error.issues[0]!;
    throw new UserError(`dq check: ${issue.path.join('.') || 'input'}: ${issue.message}`);
  }
  const label = options.rulesetLabel ?? 'ruleset';
  const parsed = parseDqdl(rulesetText);
  if (!parsed.ok) {
    const e = parsed.errors[0]!;
    throw new UserError(`${label}:${e.line}:${e.column}: ${e.message}`);
  }
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  // A JSON array is evaluated as the JSON lines `ingest` would stage (src/data/json-array.ts).
  const staged: StageableFile[] = [];
  const readable = async (path: string) => {
    const files = [];
    for (const file of await listDataFiles(path)) {
      const s = await stageableFile(file);
      staged.push(s);
      files.push(s.path);
    }
    return files;
  };
  try {
    const files = await readable(primary);
    await createTableView(connection, 'primary', files, primary);
    const references: Record<string, string> = {};
    for (const [alias, path] of Object.entries(refs)) {
      const view = `ref_${alias}`;
      const refFiles = await readable(path);
      await createTableView(connection, view, refFiles, `${alias}=${path}`);
      files.push(...refFiles);
      references[alias] = view;
    }
    await confineToFiles(connection, files);
    return await evaluateRuleset({
      connection,
      primary: 'primary',
      references,
      ruleset: parsed.ruleset,
      now: options.now,
      history: options.history,
      files: options.files,
      compositeRuleEvaluation: options.compositeRuleEvaluation,
    });
  } finally {
    connection.closeSync();
    instance.closeSync();
    for (const s of staged) await s.dispose();
  }
}

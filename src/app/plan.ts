import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { resolveTableGovernance } from '../config/load';
import type { Persona } from '../config/schema';
import { openEngine } from '../data/engine';
import { listTableObjects } from '../data/table-objects';
import type { MetricHistory } from '../dqdl/history';
import { StaticFileSet } from '../dqdl/history';
import { evaluateTable } from '../engine/evaluate-table';
import { UserError } from '../errors';
import type { Findings } from '../findings/schema';
import { S3MetricHistory } from '../governance/history';
import { findingsLocation, tableLocation } from '../governance/keys';
import { displayTags, ownedTagValues, readTableTags } from '../policy/apply';
import { desiredTags, type Overrides, sensitiveTypes } from '../policy/desired';
import {
  type AccessChange,
  accessChanges,
  type TableState,
  type TagChange,
  tagChanges,
  widensAccess,
} from '../policy/impact';
import { planTags } from '../policy/plan';
import { emptyTableTags } from '../policy/tags';
import type { LakeReader } from './lake-reader';
import type { LocalLake } from './local-lake';

/** A change `autogov plan` previews. */
export type Change =
  | {
      kind: 'ingest';
      file: string;
      database: string;
      table: string;
      name?: string;
      /** `--allow-new-columns`: the file may add or lack columns of the table */
      allowNewColumns?: boolean;
    }
  | { kind: 'remove'; database: string; table: string; name: string }
  | { kind: 'declassify'; database: string; table: string; column: string; reason: string }
  /** every governed table under the governance.yml and rulesets as they are now (an edit to either) */
  | { kind: 'regovern'; previousPersonas?: Record<string, Persona> };

export interface TablePlan {
  database: string;
  table: string;
  /** the quality score and band the change would give the table */
  score: number | null;
  dqTag?: string;
  tagChanges: TagChange[];
  access: Record<string, AccessChange>;
  /** some persona would see a table or column it cannot see now */
  widens: boolean;
}

/** A local lake, or a deployed stage (which cannot check a local file as ingest would: no checkTableFile). */
export type PlanLake = LakeReader & Partial<Pick<LocalLake, 'checkTableFile'>>;

/**
 * What a change would do to each affected table — its owned tags and each persona's access —
 * decided by the same evaluation and policy a governance run uses, with nothing written: the
 * table is evaluated in a scratch DuckDB and no findings, history, tags or catalog entry are stored.
 */
export async function planChange(lake: PlanLake, change: Change): Promise<TablePlan[]> {
  if (change.kind === 'regovern') {
    const plans: TablePlan[] = [];
    for (const t of await lake.catalogTables())
      plans.push(
        await planTable(
          lake,
          t.DatabaseName!,
          t.Name!,
          { files: await lake.tableFiles(t) },
          change.previousPersonas,
        ),
      );
    return plans;
  }
  const { database, table } = change;
  if (change.kind === 'declassify') {
    const findings = await lake.latestFindings(database, table);
    if (!findings)
      throw new UserError(`${database}.${table} has no governance run yet; ingest a file into it first`);
    if (!findings.columns.some((c) => c.name === change.column))
      throw new UserError(
        `${database}.${table} has no column ${change.column}; its columns: ${findings.columns.map((c) => c.name).join(', ')}`,
      );
    const overrides = await lake.overrides(database, table);
    overrides.columns[change.column] = {
      reason: change.reason,
      at: new Date().toISOString(),
      entityTypes: sensitiveTypes(findings, change.column, lake.governance.config),
    };
    return [await planTable(lake, database, table, { findings, overrides })];
  }
  const location = tableLocation(lake.services.settings, database, table);
  // the next run evaluates every staged file of the table
  const keys = (await listTableObjects(lake.services.s3, location)).map((o) => o.key);
  const replaced = `${location.key}${change.kind === 'ingest' ? (change.name ?? basename(change.file)) : change.name}`;
  if (change.kind === 'remove' && !keys.includes(replaced))
    throw new UserError(
      `${database}.${table} has no file ${change.name}; see the table's files under tables/${database}/${table}/`,
    );
  if (change.kind === 'ingest' && !lake.checkTableFile)
    throw new UserError(
      `plan ${change.file} --stage: a new file is checked and planned on a local lake only; plan it there, or plan --remove, --declassify or --edited on the stage`,
    );
  const checked =
    change.kind === 'ingest'
      ? await lake.checkTableFile!(change.file, database, table, change.name ?? basename(change.file), change)
      : undefined;
  try {
    const kept = await Promise.all(
      keys.filter((k) => k !== replaced).map((k) => lake.services.s3.localPath(location.bucket, k)),
    );
    // what would be staged: a JSON array is evaluated as the JSON lines ingest would upload
    const files = checked ? [...kept, checked.path].sort() : kept;
    if (files.length === 0)
      throw new UserError(
        `${database}.${table}: removing ${replaced.slice(location.key.length)} leaves the table no data files`,
      );
    return [await planTable(lake, database, table, { files })];
  } finally {
    await checked?.dispose();
  }
}

async function planTable(
  lake: PlanLake,
  database: string,
  table: string,
  next: { files: string[] } | { findings: Findings; overrides: Overrides },
  /** the grants in force now, when the lake was opened with an edited governance.yml */
  previousPersonas = lake.governance.config.personas,
): Promise<TablePlan> {
  const config = lake.governance.config;
  const known = await lake.tableColumns(database, table).then(
    (columns) => columns,
    () => undefined,
  );
  const current = known
    ? await readTableTags(lake.services.lakeFormation, database, table)
    : emptyTableTags();
  const before: TableState = { tags: current, columns: known ?? [] };
  const findings =
    'findings' in next ? next.findings : await evaluateFiles(lake, database, table, next.files);
  const overrides = 'overrides' in next ? next.overrides : await lake.overrides(database, table);
  const decision = desiredTags(findings, current, overrides, config);
  const after: TableState = { tags: decision.tags, columns: findings.columns.map((c) => c.name) };
  const plan = planTags(current, decision.tags, Object.keys(ownedTagValues(config)), config.tags.sensitive);
  const access = accessChanges(
    { ...before, personas: previousPersonas },
    { ...after, personas: config.personas },
  );
  return {
    database,
    table,
    score: findings.dataQuality.score,
    dqTag: decision.tags.table[config.tags.qualityKey],
    tagChanges: tagChanges(plan, displayTags(current, config)),
    access,
    // A table's first tagging creates access rather than widening what anyone could see.
    widens: known !== undefined && widensAccess(access),
  };
}

/** The findings a governance run of these files would produce, computed without recording anything. */
async function evaluateFiles(
  lake: PlanLake,
  database: string,
  table: string,
  files: string[],
): Promise<Findings> {
  const settings = lake.services.settings;
  const resolved = resolveTableGovernance(lake.governance, database, table);
  const references: Record<string, { label: string; files: string[] }> = {};
  for (const [alias, ref] of Object.entries(resolved.references)) {
    const t = await lake.services.glue
      .getTable({ DatabaseName: ref.database, Name: ref.table })
      .catch(() => undefined);
    if (!t?.Table)
      throw new UserError(
        `${database}.${table}: its ruleset's reference '${alias}' is ${ref.database}.${ref.table}, which has no data yet; ingest it first (autogov ingest FILE --table ${ref.database}.${ref.table})`,
      );
    references[alias] = { label: `${ref.database}.${ref.table}`, files: await lake.tableFiles(t.Table) };
  }
  const { entityTypes, sampleFraction, thresholdFraction, phoneRegions } =
    lake.governance.config.sensitiveData;
  const history = new S3MetricHistory(
    lake.services.s3,
    findingsLocation(settings, database, table, 'plan').bucket,
  );
  const entries = await Promise.all(
    files.map(async (path) => {
      const s = await stat(path);
      return { path, size: s.size, modified: s.mtime };
    }),
  );
  const instance = await openEngine([files, ...Object.values(references).map((r) => r.files)].flat());
  const connection = await instance.connect();
  try {
    const { findings } = await evaluateTable(connection, {
      database,
      table,
      runId: 'plan',
      primary: { label: `${database}.${table}`, files },
      references,
      ruleset: { text: resolved.rulesetText, label: resolved.rulesetPath },
      history: readOnly(history),
      files: new StaticFileSet(entries, (path) => readFile(path)),
      pii: { entityTypes, sampleFraction, thresholdFraction, phoneRegions },
    });
    return findings;
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/** Dynamic rules read past runs' metrics; a plan is not a run, so it records none. */
const readOnly = (history: MetricHistory): MetricHistory => ({
  values: (dataset, metric, limit) => history.values(dataset, metric, limit),
  record: async () => {},
});

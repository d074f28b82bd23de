import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Table } from '@aws-sdk/client-glue';
import type { DescribeExecutionCommandOutput } from '@aws-sdk/client-sfn';
import { z } from 'zod';
import { parseS3Uri, readJson, type S3Location, writeJson } from '../aws/s3-json';
import { type LoadedGovernance, loadGovernance } from '../config/load';
import { personaNamed } from '../config/persona';
import { formatOf, isTableDataKey } from '../data/files';
import { glueName, tableFileName } from '../data/names';
import { validateDataFile } from '../data/validate';
import { UserError } from '../errors';
import { type Findings, findingsSchema } from '../findings/schema';
import { findingsLocation, latestRunLocation, overridesLocation, tableLocation } from '../governance/keys';
import { governTableJob } from '../jobs/govern-table';
import {
  type LocalAiServices,
  type LocalServices,
  type LocalServicesOptions,
  openLocalServices,
} from '../local/services';
import type { ProgressListener } from '../local/sfn';
import { PACKAGE_ROOT } from '../paths';
import { type Access, accessByPersona } from '../policy/access';
import { displayTags, ensureTagKeys, readTableTags } from '../policy/apply';
import { type Overrides, overridesSchema, sensitiveTypes } from '../policy/desired';
import { type Explanation, explainTags } from '../policy/explain';
import { type HistoryEntry, historyOf } from '../policy/history';
import type { TableTags } from '../policy/tags';
import { type QueryResult, queryAsPersona } from '../query/as-persona';

/** The project folder holding serverless.yml, statemachines/ and functions/. */
export const PROJECT_ROOT = PACKAGE_ROOT;

export interface ExecutionSummary {
  name: string;
  status: string;
  /** one line: why it failed */
  error?: string;
  output?: unknown;
}

export interface LocalLakeOptions {
  lake: string;
  governance: string;
  onProgress?: ProgressListener;
  /** replaces the local AI emulators (tests inject throttling or stuck jobs) */
  ai?: LocalAiServices;
  /** edits the stack's rendered grants before they are enforced (tests remove one at a time) */
  editResources?: LocalServicesOptions['editResources'];
  /** for `plan`: creates nothing, not even tag values an edited governance.yml adds */
  readOnly?: boolean;
}

const latestRunSchema = z.looseObject({
  findingsUri: z.string(),
  runId: z.string(),
  score: z.number().nullable().optional(),
});

export interface TableStatus {
  database: string;
  table: string;
  location: string;
  columns: number;
  /** the table's own LF-Tags */
  tags: Record<string, string>;
  sensitiveColumns: string[];
  /** data quality score of the latest applied run (0–1), null when it had no rules */
  score: number | null;
  lastRunId?: string;
}

/**
 * The local embedded default as the CLI uses it: the raw bucket, the state machines and the catalog
 * of one lake folder, driven the way a user drives the cloud (drop a file, start an execution).
 */
export class LocalLake {
  private constructor(
    readonly services: LocalServices,
    readonly governance: LoadedGovernance,
  ) {}

  static async open(opts: LocalLakeOptions): Promise<LocalLake> {
    const governance = loadGovernance(opts.governance);
    let services: LocalServices | undefined;
    services = await openLocalServices(opts.lake, {
      projectRoot: PROJECT_ROOT,
      governancePath: governance.path,
      onProgress: opts.onProgress,
      ai: opts.ai,
      editResources: opts.editResources,
      jobs: {
        GovernTableJob: (args) =>
          governTableJob({
            s3: services!.s3,
            glue: services!.glue,
            localPath: (loc) => services!.s3.localPath(loc.bucket, loc.key),
          })(args),
      },
    });
    try {
      if (!opts.readOnly) await ensureTagKeys(services.lakeFormation, governance.config);
    } catch (err) {
      await services.close();
      throw err;
    }
    return new LocalLake(services, governance);
  }

  close(): Promise<void> {
    return this.services.close();
  }

  /**
   * The local "drop a file into the raw bucket": the file is checked first (a bad file is refused
   * and nothing is placed), then put under the table's location; the raw bucket's event starts
   * table governance, which runs to completion.
   */
  async ingestTableFile(
    file: string,
    database: string,
    table: string,
    name = basename(file),
  ): Promise<ExecutionSummary[]> {
    const location = await this.checkTableFile(file, database, table, name);
    return executionsStartedBy(this.services, async () => {
      await this.services.s3.putObject({
        Bucket: location.bucket,
        Key: `${location.key}${name}`,
        Body: await readFile(file),
      });
    });
  }

  /** What ingest refuses before placing anything (also what `plan` checks); the table's location. */
  async checkTableFile(file: string, database: string, table: string, name: string): Promise<S3Location> {
    const location = tableLocation(
      this.services.settings,
      glueName('database', database),
      glueName('table', table),
    );
    tableFileName(name, location.key);
    await this.refuseFormatMismatch(location, name);
    await validateDataFile(file);
    return location;
  }

  async removeTableFile(database: string, table: string, name: string): Promise<ExecutionSummary[]> {
    const location = tableLocation(
      this.services.settings,
      glueName('database', database),
      glueName('table', table),
    );
    tableFileName(name, location.key);
    const key = `${location.key}${name}`;
    await this.services.s3.headObject({ Bucket: location.bucket, Key: key }).catch(() => {
      throw new UserError(
        `${database}.${table} has no file ${name}; see the table's files under tables/${database}/${table}/`,
      );
    });
    return executionsStartedBy(this.services, () =>
      this.services.s3.deleteObject({ Bucket: location.bucket, Key: key }).then(() => {}),
    );
  }

  /** The local "start execution" of the Step Functions console. */
  async start(machine: string, input: unknown, name?: string): Promise<ExecutionSummary> {
    const machines = this.services.sfn.stateMachines();
    const found = machines.find((m) => m.name === machine);
    if (!found)
      throw new UserError(
        `${machine}: no such state machine; one of: ${machines.map((m) => m.name).join(', ')}`,
      );
    const res = await this.services.sfn.startExecution({
      stateMachineArn: found.arn,
      name: name ?? `console-${Date.now()}`,
      input: JSON.stringify(input),
    });
    await this.services.drain();
    return summarize(await this.services.sfn.describeExecution({ executionArn: res.executionArn! }));
  }

  async tableColumns(database: string, table: string): Promise<string[]> {
    try {
      const res = await this.services.glue.getTable({ DatabaseName: database, Name: table });
      return (res.Table?.StorageDescriptor?.Columns ?? []).map((c) => c.Name!);
    } catch (err) {
      if ((err as { name?: string }).name === 'EntityNotFoundException')
        throw new UserError(
          `${database}.${table}: no such table; ingest a file first (autogov ingest FILE --table ${database}.${table})`,
        );
      throw err;
    }
  }

  async tags(database: string, table: string): Promise<TableTags> {
    await this.tableColumns(database, table);
    return displayTags(
      await readTableTags(this.services.lakeFormation, database, table),
      this.governance.config,
    );
  }

  async access(database: string, table: string, persona?: string): Promise<Record<string, Access>> {
    const personas = this.personas(persona);
    const columns = await this.tableColumns(database, table);
    const tags = await readTableTags(this.services.lakeFormation, database, table);
    return accessByPersona(personas, tags, columns);
  }

  /** Every table in the catalog, as the Glue API lists them. */
  async catalogTables(): Promise<Table[]> {
    const out: Table[] = [];
    const dbs = await this.services.glue.getDatabases({});
    for (const db of dbs.DatabaseList ?? []) {
      let token: string | undefined;
      do {
        const page = await this.services.glue.getTables({ DatabaseName: db.Name!, NextToken: token });
        out.push(...(page.TableList ?? []));
        token = page.NextToken;
      } while (token);
    }
    return out;
  }

  /** Every governed table: its tags, its latest score and run, and its sensitive columns. */
  async tables(): Promise<TableStatus[]> {
    const out: TableStatus[] = [];
    for (const t of await this.catalogTables()) {
      const database = t.DatabaseName!;
      const table = t.Name!;
      const tags = displayTags(
        await readTableTags(this.services.lakeFormation, database, table),
        this.governance.config,
      );
      const latest = await readJson(
        this.services.s3,
        latestRunLocation(this.services.settings, database, table),
        latestRunSchema,
      );
      const { columnKey, sensitive } = this.governance.config.tags;
      out.push({
        database,
        table,
        location: t.StorageDescriptor?.Location ?? '',
        columns: (t.StorageDescriptor?.Columns ?? []).length,
        tags: tags.table,
        sensitiveColumns: Object.entries(tags.columns)
          .filter(([, set]) => set[columnKey] === sensitive)
          .map(([c]) => c),
        score: latest?.score ?? null,
        lastRunId: latest?.runId,
      });
    }
    return out;
  }

  /** Every governed table, with the persona's access: what Athena under Lake Formation would allow. */
  async query(persona: string, sql: string): Promise<QueryResult> {
    const p = this.personas(persona)[persona]!;
    const tables = [];
    for (const t of await this.catalogTables()) {
      const columns = (t.StorageDescriptor?.Columns ?? []).map((c) => c.Name!);
      const tags = await readTableTags(this.services.lakeFormation, t.DatabaseName!, t.Name!);
      tables.push({
        database: t.DatabaseName!,
        table: t.Name!,
        files: await this.tableFiles(t),
        columns,
        access: accessByPersona({ [persona]: p }, tags, columns)[persona]!,
      });
    }
    return queryAsPersona(persona, sql, tables);
  }

  /** The findings of the table's latest applied run; undefined before its first run. */
  async latestFindings(database: string, table: string): Promise<Findings | undefined> {
    const latest = await readJson(
      this.services.s3,
      latestRunLocation(this.services.settings, database, table),
      latestRunSchema,
    );
    return (
      (latest && (await readJson(this.services.s3, parseS3Uri(latest.findingsUri), findingsSchema))) ??
      undefined
    );
  }

  /** The recorded declassifications of a table's columns. */
  async overrides(database: string, table: string): Promise<Overrides> {
    const at = overridesLocation(this.services.settings, database, table);
    return (await readJson(this.services.s3, at, overridesSchema)) ?? { columns: {} };
  }

  /** Why the table and its columns carry their owned tags (see explainTags). */
  async explain(database: string, table: string): Promise<Explanation> {
    const tags = await this.tags(database, table);
    const findings = await this.latestFindings(database, table);
    if (!findings)
      throw new UserError(`${database}.${table} has no governance run yet; ingest a file into it first`);
    return explainTags(findings, tags, await this.overrides(database, table), this.governance.config);
  }

  /** Every evaluated run of a table, oldest first: score, quality band, sensitive columns. */
  async history(database: string, table: string): Promise<HistoryEntry[]> {
    await this.tableColumns(database, table);
    const { bucket, key: one } = findingsLocation(this.services.settings, database, table, 'run');
    const key = one.replace(/[^/]*$/, ''); // the folder holding one findings file per run
    const all = [];
    let token: string | undefined;
    do {
      const page = await this.services.s3.listObjectsV2({
        Bucket: bucket,
        Prefix: key,
        ContinuationToken: token,
      });
      for (const o of page.Contents ?? []) {
        const findings = await readJson(this.services.s3, { bucket, key: o.Key! }, findingsSchema);
        if (findings) all.push(findings);
      }
      token = page.NextContinuationToken;
    } while (token);
    return historyOf(all, this.governance.config);
  }

  /**
   * Records a reasoned declassification of a sensitive column and re-governs the table, so the
   * column turns public under the same policy run that would have kept it sensitive.
   */
  async declassify(
    database: string,
    table: string,
    column: string,
    reason: string,
  ): Promise<ExecutionSummary> {
    const columns = await this.tableColumns(database, table);
    if (!columns.includes(column))
      throw new UserError(`${database}.${table} has no column ${column}; its columns: ${columns.join(', ')}`);
    // An override on a public column would silently pre-approve whatever it later turns out to hold.
    const { columnKey, sensitive } = this.governance.config.tags;
    if ((await this.tags(database, table)).columns[column]?.[columnKey] !== sensitive)
      throw new UserError(`${database}.${table}.${column} is not sensitive; there is nothing to declassify`);
    const findings = await this.latestFindings(database, table);
    const at = overridesLocation(this.services.settings, database, table);
    const overrides = await this.overrides(database, table);
    overrides.columns[column] = {
      reason,
      at: new Date().toISOString(),
      by: process.env.USER,
      entityTypes: findings ? sensitiveTypes(findings, column, this.governance.config) : [],
    };
    await writeJson(this.services.s3, at, overrides);
    return this.start('govern-table', { database, table }, `declassify-${database}-${table}-${Date.now()}`);
  }

  private personas(only?: string) {
    if (only === undefined) return this.governance.config.personas;
    return { [only]: personaNamed(this.governance.config, only) };
  }

  /** One table is one format: a JSON file into a CSV table would fail every later run. */
  private async refuseFormatMismatch(location: S3Location, name: string): Promise<void> {
    const format = formatOf(name);
    const existing = (await this.dataKeys(location)).find((k) => formatOf(k) !== format);
    if (existing)
      throw new UserError(
        `${name}: a ${format} file into a ${formatOf(existing)} table (${existing.slice(location.key.length)}); convert it or use another table`,
      );
  }

  /** The data files under a table's catalog location (partition folders included). */
  async tableFiles(t: Table): Promise<string[]> {
    const location = parseS3Uri(t.StorageDescriptor?.Location ?? '');
    const keys = await this.dataKeys(location);
    return Promise.all(keys.map((k) => this.services.s3.localPath(location.bucket, k)));
  }

  /** The keys under `location` that are the table's data files (see isTableDataKey). */
  async dataKeys(location: S3Location): Promise<string[]> {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page = await this.services.s3.listObjectsV2({
        Bucket: location.bucket,
        Prefix: location.key,
        ContinuationToken: token,
      });
      keys.push(
        ...(page.Contents ?? [])
          .map((o) => o.Key!)
          .filter((k) => isTableDataKey(k.slice(location.key.length))),
      );
      token = page.NextContinuationToken;
    } while (token);
    return keys;
  }
}

/** Runs `action` (e.g. a put into the raw bucket) and returns the executions it started, finished. */
export async function executionsStartedBy(
  services: LocalServices,
  action: () => Promise<void>,
): Promise<ExecutionSummary[]> {
  const before = new Set((await services.sfn.listExecutions()).map((e) => e.executionArn));
  await action();
  await services.drain();
  const after = await services.sfn.listExecutions();
  return after.filter((e) => !before.has(e.executionArn)).map(summarize);
}

function summarize(e: DescribeExecutionCommandOutput): ExecutionSummary {
  return {
    name: e.name!,
    status: e.status!,
    error: e.status === 'SUCCEEDED' ? undefined : (e.cause ?? e.error),
    output: e.output ? JSON.parse(e.output) : undefined,
  };
}

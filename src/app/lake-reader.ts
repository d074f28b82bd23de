// The read side of the local lake: what the read commands (`tables`, `tags`, `access`, `query`,
// `explain`, `history`) answer from the stored catalog, LF-Tags and run records. Locally it opens only
// the local catalog (src/local/catalog.ts): no Step Functions runner, no job, no write; on a deployed
// stage the same reads go to its real clients (src/app/deployed-stage.ts).
import type { Table } from '@aws-sdk/client-glue';
import { z } from 'zod';
import { parseS3Uri, readJson } from '../aws/s3-json';
import { listObjects } from '../aws/s3-list';
import type { StoredServices } from '../aws/services';
import { type LoadedGovernance, loadGovernance } from '../config/load';
import { personaNamed } from '../config/persona';
import type { Governance } from '../config/schema';
import { uncertifiedChanges } from '../data/certify';
import { listTableObjects } from '../data/table-objects';
import { UserError } from '../errors';
import { type Findings, storedFindingsSchema } from '../findings/schema';
import {
  certifiedRunLocation,
  failureLocation,
  findingsLocation,
  latestRunLocation,
  overridesLocation,
  tableLocation,
} from '../governance/keys';
import { openLocalCatalog } from '../local/catalog';
import { IAM_ALLOWED_PRINCIPALS } from '../local/lf-permissions';
import { PACKAGE_ROOT } from '../paths';
import { type Access, accessByPersona } from '../policy/access';
import { displayTags, readDatabaseTags, readTableTags } from '../policy/apply';
import { type Overrides, overridesSchema } from '../policy/desired';
import { type Explanation, explainTags } from '../policy/explain';
import { type HistoryEntry, historyOf } from '../policy/history';
import type { TableTags } from '../policy/tags';
import type { QueryResult } from '../query/as-persona';

/** The project folder holding serverless.yml, statemachines/ and functions/. */
export const PROJECT_ROOT = PACKAGE_ROOT;

export interface LakeReaderOptions {
  lake: string;
  governance: string;
}

const certifiedRunSchema = z.looseObject({ runId: z.string(), promotedAt: z.string() });
const failureRecordSchema = z.looseObject({ failedAt: z.string(), message: z.string() });

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
  /**
   * Staged uploads not (yet) served: files new or changed since the last successful run, plus
   * certified files since removed. Non-zero after a failed or killed run; the next run retries them.
   */
  uncertified: number;
  /** the latest failed run, when it failed after the last successful one */
  failure?: { at: string; message: string };
}

/** One lake folder's governed tables, tags, runs and persona access, read as the catalog holds them. */
export class LakeReader {
  protected constructor(
    readonly services: StoredServices,
    readonly governance: LoadedGovernance,
  ) {}

  static async open(opts: LakeReaderOptions): Promise<LakeReader> {
    const governance = loadGovernance(opts.governance);
    const services = await openLocalCatalog(opts.lake, {
      projectRoot: PROJECT_ROOT,
      governancePath: governance.path,
    });
    return new LakeReader(services, governance);
  }

  close(): Promise<void> {
    return this.services.close();
  }

  async tableColumns(database: string, table: string): Promise<string[]> {
    try {
      const res = await this.services.glue.getTable({ DatabaseName: database, Name: table });
      return (res.Table?.StorageDescriptor?.Columns ?? []).map((c) => c.Name!);
    } catch (err) {
      if ((err as { name?: string }).name === 'EntityNotFoundException')
        throw new UserError(`${database}.${table}: no such table; ${this.noTableHint(database, table)}`);
      throw err;
    }
  }

  /** What to do about a table the catalog does not have. */
  protected noTableHint(database: string, table: string): string {
    return `ingest a file first (autogov ingest FILE --table ${database}.${table})`;
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
    return this.personaAccess(personas, database, table, columns);
  }

  /**
   * What Athena under Lake Formation gives each persona of a table: its LF-Tag grants decide, unless
   * the table holds an IAMAllowedPrincipals grant (its database was created without
   * `CreateTableDefaultPermissions: []`); then IAM alone decides, and a persona role's catalog reads
   * and lakeformation:GetDataAccess reach every column (docs/permissions.md).
   */
  private async personaAccess(
    personas: Governance['personas'],
    database: string,
    table: string,
    columns: string[],
  ): Promise<Record<string, Access>> {
    const { PrincipalResourcePermissions: held } = await this.services.lakeFormation.listPermissions({
      Resource: { Table: { DatabaseName: database, Name: table } },
    });
    if (held?.some((p) => p.Principal?.DataLakePrincipalIdentifier === IAM_ALLOWED_PRINCIPALS))
      return Object.fromEntries(Object.keys(personas).map((p) => [p, { allowed: true, columns }]));
    // As Lake Formation evaluates: a key neither the column nor the table has comes from the database.
    const [tags, databaseTags] = await Promise.all([
      readTableTags(this.services.lakeFormation, database, table),
      readDatabaseTags(this.services.lakeFormation, database),
    ]);
    return accessByPersona(personas, tags, columns, databaseTags);
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
      const location = t.StorageDescriptor?.Location ?? '';
      const certified = await readJson(
        this.services.s3,
        certifiedRunLocation(this.services.settings, database, table),
        certifiedRunSchema,
      );
      const failure = await this.latestFailure(database, table);
      out.push({
        database,
        table,
        location,
        columns: (t.StorageDescriptor?.Columns ?? []).length,
        tags: tags.table,
        sensitiveColumns: Object.entries(tags.columns)
          .filter(([, set]) => set[columnKey] === sensitive)
          .map(([c]) => c),
        score: latest?.score ?? null,
        lastRunId: latest?.runId,
        uncertified: await this.uncertified(database, table, location),
        failure: failure && (!certified || failure.at > certified.promotedAt) ? failure : undefined,
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
      const access = await this.personaAccess({ [persona]: p }, t.DatabaseName!, t.Name!, columns);
      tables.push({
        database: t.DatabaseName!,
        table: t.Name!,
        files: await this.tableFiles(t),
        columns,
        access: access[persona]!,
      });
    }
    // Loaded by `query` only: the SQL sandbox is no part of the other read commands.
    const { queryAsPersona } = require('../query/as-persona') as typeof import('../query/as-persona');
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
      (latest && (await readJson(this.services.s3, parseS3Uri(latest.findingsUri), storedFindingsSchema))) ??
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
    for await (const o of listObjects(this.services.s3, bucket, key)) {
      const findings = await readJson(this.services.s3, { bucket, key: o.Key! }, storedFindingsSchema);
      if (findings) all.push(findings);
    }
    return historyOf(all, this.governance.config);
  }

  protected personas(only?: string) {
    if (only === undefined) return this.governance.config.personas;
    return { [only]: personaNamed(this.governance.config, only) };
  }

  /** The data files under a table's catalog location (its certified files; partition folders included). */
  async tableFiles(t: Table): Promise<string[]> {
    const location = parseS3Uri(t.StorageDescriptor?.Location ?? '');
    const objects = await listTableObjects(this.services.s3, location);
    return Promise.all(objects.map((o) => this.services.s3.localPath(location.bucket, o.key)));
  }

  /** Staged changes the table's certified location does not hold (see uncertifiedChanges). */
  private async uncertified(database: string, table: string, location: string): Promise<number> {
    const certified = parseS3Uri(location);
    // Tables read in place (the ingestion's document tables) have no staging.
    if (certified.bucket !== this.services.settings.certifiedBucket) return 0;
    const staged = tableLocation(this.services.settings, database, table);
    return uncertifiedChanges(this.services.s3, staged, certified);
  }

  /** The newest failure record of a table (record-failure writes one per failed run, time-ordered ids). */
  private async latestFailure(database: string, table: string) {
    const { bucket, key: one } = failureLocation(this.services.settings, database, table, 'run');
    const key = one.replace(/[^/]*$/, ''); // the folder holding one record per failed run
    const keys: string[] = [];
    for await (const o of listObjects(this.services.s3, bucket, key)) keys.push(o.Key!);
    const last = keys.sort().at(-1);
    if (!last) return undefined;
    const record = await readJson(this.services.s3, { bucket, key: last }, failureRecordSchema);
    return record && { at: record.failedAt, message: record.message };
  }
}

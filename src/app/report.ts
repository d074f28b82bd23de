import { z } from 'zod';
import { readJson } from '../aws/s3-json';
import { listObjects } from '../aws/s3-list';
import { failureLocation } from '../governance/keys';
import type { HistoryEntry } from '../policy/history';
import type { TableTags } from '../policy/tags';
import type { LakeReader, TableStatus } from './lake-reader';

/** What the steward's report shows of one table. */
export interface ReportTable extends TableStatus {
  columnNames: string[];
  columnTags: TableTags['columns'];
  /** persona → the columns it can query (empty: the table is invisible to it) */
  access: Record<string, string[]>;
  history: HistoryEntry[];
}

export interface ReportData {
  generatedAt: string;
  lake: string;
  personas: string[];
  tables: ReportTable[];
  /** newest first */
  failures: { failedAt: string; database?: string; table?: string; error: string; message: string }[];
  /** newest first */
  declassifications: {
    database: string;
    table: string;
    column: string;
    at: string;
    by?: string;
    reason: string;
  }[];
}

const failureSchema = z.looseObject({
  failedAt: z.string(),
  database: z.string().optional(),
  table: z.string().optional(),
  error: z.string(),
  message: z.string(),
});

/** How many failures and declassifications the report lists. */
const RECENT = 20;

/** Everything `autogov report` draws, read from the lake as the read commands read it. */
export async function reportData(lake: LakeReader, root: string): Promise<ReportData> {
  const tables: ReportTable[] = [];
  const declassifications: ReportData['declassifications'] = [];
  for (const t of await lake.tables()) {
    const [tags, access, columnNames, history, overrides] = await Promise.all([
      lake.tags(t.database, t.table),
      lake.access(t.database, t.table),
      lake.tableColumns(t.database, t.table),
      lake.history(t.database, t.table),
      lake.overrides(t.database, t.table),
    ]);
    tables.push({
      ...t,
      columnNames,
      columnTags: tags.columns,
      access: Object.fromEntries(Object.entries(access).map(([p, a]) => [p, a.columns])),
      history,
    });
    for (const [column, o] of Object.entries(overrides.columns))
      declassifications.push({
        database: t.database,
        table: t.table,
        column,
        at: o.at,
        by: o.by,
        reason: o.reason,
      });
  }
  return {
    generatedAt: new Date().toISOString(),
    lake: root,
    personas: Object.keys(lake.governance.config.personas),
    tables,
    failures: (await failures(lake)).slice(0, RECENT),
    declassifications: declassifications.sort((a, b) => b.at.localeCompare(a.at)).slice(0, RECENT),
  };
}

async function failures(lake: LakeReader): Promise<ReportData['failures']> {
  const { bucket, key } = failureLocation(lake.services.settings, '_', '_', '_');
  const prefix = key.slice(0, key.indexOf('/') + 1);
  const out: ReportData['failures'] = [];
  for await (const o of listObjects(lake.services.s3, bucket, prefix)) {
    const record = await readJson(lake.services.s3, { bucket, key: o.Key! }, failureSchema);
    if (record) out.push(record);
  }
  return out.sort((a, b) => b.failedAt.localeCompare(a.failedAt));
}

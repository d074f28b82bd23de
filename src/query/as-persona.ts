import { DuckDBInstance } from '@duckdb/node-api';
import { createTableView, quoteIdent } from '../data/source';
import { errorMessage, UserError } from '../errors';
import type { Access } from '../policy/access';

export interface QueryableTable {
  database: string;
  table: string;
  files: string[];
  /** every column of the table */
  columns: string[];
  access: Access;
}

export interface QueryResult {
  columns: string[];
  rows: Record<string, unknown>[];
}

/**
 * Runs SQL the way Athena does under Lake Formation: a persona sees only the tables it may query,
 * and of those only the columns its grants match (`SELECT *` expands to them). The data is copied
 * into an in-memory database and file access is then switched off, so the SQL cannot read the
 * lake's files around the grants.
 */
export async function queryAsPersona(
  persona: string,
  sql: string,
  tables: QueryableTable[],
): Promise<QueryResult> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    for (const t of tables) {
      if (!t.access.allowed) continue;
      const view = `src_${t.database}_${t.table}`;
      await createTableView(connection, view, t.files, `${t.database}.${t.table}`);
      await connection.run(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(t.database)}`);
      const cols = t.access.columns.map(quoteIdent).join(', ');
      await connection.run(
        `CREATE TABLE ${quoteIdent(t.database)}.${quoteIdent(t.table)} AS SELECT ${cols} FROM ${quoteIdent(view)}`,
      );
      await connection.run(`DROP VIEW ${quoteIdent(view)}`);
    }
    await connection.run('SET enable_external_access = false');
    await connection.run('SET lock_configuration = true');
    try {
      const reader = await connection.runAndReadAll(sql);
      return { columns: reader.columnNames(), rows: reader.getRowObjectsJson() };
    } catch (err) {
      throw new UserError(explainDenial(persona, errorMessage(err), tables));
    }
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/** Turns DuckDB's "not found" into the Lake Formation reason when the object exists but is hidden. */
function explainDenial(persona: string, message: string, tables: QueryableTable[]): string {
  const missingTable = /Table with name ([^\s]+) does not exist/.exec(message)?.[1];
  if (missingTable) {
    const hidden = tables.find(
      (t) => !t.access.allowed && [t.table, `${t.database}.${t.table}`].includes(missingTable),
    );
    if (hidden)
      return `${persona} has no Lake Formation permission on ${hidden.database}.${hidden.table} (its LF-Tags match none of the persona's grants)`;
  }
  const missingColumn = /column "?([^"\s]+)"? not found/i.exec(message)?.[1];
  if (missingColumn) {
    const hiding = tables.find(
      (t) =>
        t.access.allowed && t.columns.includes(missingColumn) && !t.access.columns.includes(missingColumn),
    );
    if (hiding)
      return `${persona} may not see column ${missingColumn} of ${hiding.database}.${hiding.table} (its LF-Tags match none of the persona's grants)`;
  }
  return `query failed: ${message.split('\n')[0]}`;
}

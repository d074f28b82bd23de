import { DuckDBInstance } from '@duckdb/node-api';
import { quoteIdent, tableReader } from '../data/source';
import { UserError } from '../errors';
import type { Access } from '../policy/access';
import { engineErrorText } from '../sql/redact';
import { checkSelect, confineToFiles } from '../sql/sandbox';

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
 * and of those only the columns its grants match (`SELECT *` expands to them). Each visible table
 * is a view selecting its granted columns straight from its files, so a query reads what it names
 * and nothing is copied. The views cannot be escaped: the SQL must be one SELECT over the lake's
 * `DATABASE.TABLE` names (no table functions, no file names, no settings), and the connection can
 * open only the visible tables' files.
 */
export async function queryAsPersona(
  persona: string,
  sql: string,
  tables: QueryableTable[],
): Promise<QueryResult> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const databases = new Set(tables.map((t) => t.database.toLowerCase()));
    const check = await checkSelect(connection, sql, {
      allows: ({ schema }) => databases.has(schema),
      readable: "the lake's tables, named DATABASE.TABLE",
    });
    if (!check.ok) throw new UserError(`query: ${check.problem}`);
    // Only the tables the query names get a view: its cost follows what it reads, not the lake.
    const named = new Set(check.tables.map((r) => `${r.schema}.${r.table}`));
    const files: string[] = [];
    for (const t of tables) {
      const label = `${t.database}.${t.table}`;
      if (!named.has(label.toLowerCase())) continue;
      if (!t.access.allowed)
        throw new UserError(
          `${persona} has no Lake Formation permission on ${label} (its LF-Tags match none of the persona's grants)`,
        );
      try {
        await connection.run(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(t.database)}`);
        const cols = t.access.columns.map(quoteIdent).join(', ');
        await connection.run(
          `CREATE VIEW ${quoteIdent(t.database)}.${quoteIdent(t.table)} AS SELECT ${cols} FROM ${tableReader(t.files, label)}`,
        );
      } catch (err) {
        // refused by name; queries that do not name it are not affected
        throw new UserError(`${label} cannot be read now: ${engineErrorText(err)}`);
      }
      files.push(...t.files);
    }
    await confineToFiles(connection, files);
    try {
      const reader = await connection.runAndReadAll(sql);
      return { columns: reader.columnNames(), rows: reader.getRowObjectsJson() };
    } catch (err) {
      throw new UserError(explainDenial(persona, engineErrorText(err), tables));
    }
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/** Turns DuckDB's "not found" into the Lake Formation reason when the column exists but is hidden. */
function explainDenial(persona: string, message: string, tables: QueryableTable[]): string {
  const missingColumn = /column "?([^"\s]+)"? not found/i.exec(message)?.[1];
  if (missingColumn) {
    const hiding = tables.find(
      (t) =>
        t.access.allowed && t.columns.includes(missingColumn) && !t.access.columns.includes(missingColumn),
    );
    if (hiding)
      return `${persona} may not see column ${missingColumn} of ${hiding.database}.${hiding.table} (its LF-Tags match none of the persona's grants)`;
  }
  return `query failed: ${message}`;
}

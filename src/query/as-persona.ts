import { DuckDBInstance } from '@duckdb/node-api';
import { quoteIdent, tableReader } from '../data/source';
import { UserError } from '../errors';
import type { Access } from '../policy/access';
import { engineErrorText } from '../sql/redact';
import { confineToFiles, selectProblem } from '../sql/sandbox';

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
 * open only the visible tables' files, with its settings locked.
 */
export async function queryAsPersona(
  persona: string,
  sql: string,
  tables: QueryableTable[],
): Promise<QueryResult> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const unreadable = new Map<string, string>();
    const files: string[] = [];
    for (const t of tables) {
      if (!t.access.allowed) continue;
      const label = `${t.database}.${t.table}`;
      try {
        await connection.run(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(t.database)}`);
        const cols = t.access.columns.map(quoteIdent).join(', ');
        await connection.run(
          `CREATE VIEW ${quoteIdent(t.database)}.${quoteIdent(t.table)} AS SELECT ${cols} FROM ${tableReader(t.files, label)}`,
        );
        files.push(...t.files);
      } catch (err) {
        // one unreadable table is refused by name; every other table still answers
        unreadable.set(label, engineErrorText(err));
      }
    }
    await confineToFiles(connection, files);
    const databases = new Set(tables.map((t) => t.database.toLowerCase()));
    const problem = await selectProblem(connection, sql, {
      allows: ({ schema }) => databases.has(schema),
      readable: "the lake's tables, named DATABASE.TABLE",
    });
    if (problem) throw new UserError(`query: ${problem}`);
    try {
      const reader = await connection.runAndReadAll(sql);
      return { columns: reader.columnNames(), rows: reader.getRowObjectsJson() };
    } catch (err) {
      throw new UserError(explainDenial(persona, engineErrorText(err), tables, unreadable));
    }
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/** Turns DuckDB's "not found" into the Lake Formation reason when the object exists but is hidden. */
function explainDenial(
  persona: string,
  message: string,
  tables: QueryableTable[],
  unreadable: Map<string, string>,
): string {
  const missingTable = /Table with name ([^\s]+) does not exist/.exec(message)?.[1];
  if (missingTable) {
    const named = tables.find((t) => [t.table, `${t.database}.${t.table}`].includes(missingTable));
    if (named && !named.access.allowed)
      return `${persona} has no Lake Formation permission on ${named.database}.${named.table} (its LF-Tags match none of the persona's grants)`;
    const why = named && unreadable.get(`${named.database}.${named.table}`);
    if (why) return `${named.database}.${named.table} cannot be read now: ${why}`;
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
  return `query failed: ${message}`;
}

// SQL helpers shared by the evaluator: identifier/literal quoting, column-path resolution and a
// small Spark-SQL → DuckDB rewrite for user-written fragments (where clauses, CustomSql).
import type { DuckDBConnection } from '@duckdb/node-api';
import { quoteIdent, quoteLiteral } from '../data/source';

export { quoteIdent, quoteLiteral } from '../data/source';
/** First line of an error, with any cell value DuckDB quoted in it masked. */
export { engineErrorText as errorText } from '../sql/redact';

/** A DuckDB table/view reference; names may be `schema.table` only when written so by the caller. */
export function quoteTable(name: string): string {
  return quoteIdent(name);
}

export interface ColumnInfo {
  name: string;
  /** DuckDB type, upper case, e.g. `VARCHAR`, `INTEGER`, `STRUCT("_1" VARCHAR, ...)` */
  type: string;
}

/**
 * Resolves a DQDL column reference against a table's columns, as Spark would: an exact (or
 * case-insensitive) column name first, then a backtick-quoted name (`` `Some.Date` ``), then a
 * dotted path into a struct (`state._1`). Returns the SQL expression, or undefined when absent.
 */
export function resolveColumn(columns: ColumnInfo[], ref: string): { sql: string; type: string } | undefined {
  const exact = findColumn(columns, ref);
  if (exact) return { sql: quoteIdent(exact.name), type: exact.type };
  const bt = /^`(.*)`$/s.exec(ref);
  if (bt) {
    const inner = findColumn(columns, bt[1]!.replaceAll('``', '`'));
    return inner ? { sql: quoteIdent(inner.name), type: inner.type } : undefined;
  }
  const parts = ref.split('.');
  if (parts.length > 1) {
    const head = findColumn(columns, parts[0]!);
    if (!head?.type.startsWith('STRUCT')) return undefined;
    let type: string | undefined = head.type;
    for (const p of parts.slice(1)) {
      type = type ? structFieldType(type, p) : undefined;
      if (!type) return undefined;
    }
    return { sql: [quoteIdent(head.name), ...parts.slice(1).map(quoteIdent)].join('.'), type };
  }
  return undefined;
}

function findColumn(columns: ColumnInfo[], name: string): ColumnInfo | undefined {
  return (
    columns.find((c) => c.name === name) ?? columns.find((c) => c.name.toLowerCase() === name.toLowerCase())
  );
}

/** Field type of a DuckDB STRUCT type string, e.g. `STRUCT(_1 VARCHAR, "a b" INTEGER)`. */
function structFieldType(structType: string, field: string): string | undefined {
  const m = /^STRUCT\((.*)\)$/s.exec(structType);
  if (!m) return undefined;
  const body = m[1]!;
  // split top-level commas
  let depth = 0;
  let start = 0;
  const parts: string[] = [];
  let inQuote = false;
  for (let i = 0; i < body.length; i++) {
    const ch = body[i];
    if (ch === '"') inQuote = !inQuote;
    else if (!inQuote && ch === '(') depth++;
    else if (!inQuote && ch === ')') depth--;
    else if (!inQuote && depth === 0 && ch === ',') {
      parts.push(body.slice(start, i).trim());
      start = i + 1;
    }
  }
  parts.push(body.slice(start).trim());
  for (const p of parts) {
    const fm = /^("(?:[^"]|"")*"|\S+)\s+(.*)$/s.exec(p);
    if (!fm) continue;
    const name = fm[1]!.startsWith('"') ? fm[1]!.slice(1, -1).replaceAll('""', '"') : fm[1]!;
    if (name.toLowerCase() === field.toLowerCase()) return fm[2]!.trim();
  }
  return undefined;
}

/**
 * Rewrites a Spark SQL fragment for DuckDB: backtick identifiers become double-quoted, Spark
 * double-quoted string literals become single-quoted, and bare table aliases that DuckDB reserves
 * (`primary`) or that must map to another relation are quoted/renamed via `aliases`.
 */
export function sparkToDuckDb(sql: string, aliases: Record<string, string> = {}): string {
  const lowerAliases = new Map(Object.entries(aliases).map(([k, v]) => [k.toLowerCase(), v]));
  let out = '';
  let i = 0;
  while (i < sql.length) {
    const ch = sql[i]!;
    if (ch === "'" || ch === '"') {
      // string literal (Spark accepts both quote styles; backslash escapes)
      let j = i + 1;
      let text = '';
      while (j < sql.length && sql[j] !== ch) {
        if (sql[j] === '\\' && j + 1 < sql.length) {
          text += sql[j + 1];
          j += 2;
        } else {
          text += sql[j];
          j++;
        }
      }
      out += quoteLiteral(text);
      i = j + 1;
    } else if (ch === '`') {
      let j = i + 1;
      let text = '';
      while (j < sql.length) {
        if (sql[j] === '`') {
          if (sql[j + 1] === '`') {
            text += '`';
            j += 2;
            continue;
          }
          break;
        }
        text += sql[j];
        j++;
      }
      out += quoteIdent(text);
      i = j + 1;
    } else if (ch === '-' && sql[i + 1] === '-') {
      const j = sql.indexOf('\n', i);
      out += j < 0 ? sql.slice(i) : sql.slice(i, j);
      i = j < 0 ? sql.length : j;
    } else if (/[A-Za-z_]/.test(ch)) {
      let j = i + 1;
      while (j < sql.length && /[A-Za-z0-9_$]/.test(sql[j]!)) j++;
      const word = sql.slice(i, j);
      const prev = out.trimEnd().slice(-1);
      const mapped = lowerAliases.get(word.toLowerCase());
      // do not rewrite struct-field access (`x.primary`)
      if (mapped !== undefined && prev !== '.') out += mapped;
      else out += word;
      i = j;
    } else {
      out += ch;
      i++;
    }
  }
  return out;
}

/** JS value of a query cell, normalised: bigint → number, DuckDB dates/timestamps → string. */
export type Cell = number | string | boolean | null;

export async function queryRows(connection: DuckDBConnection, sql: string): Promise<Record<string, Cell>[]> {
  const reader = await connection.runAndReadAll(sql);
  const names = reader.columnNames();
  return reader.getRowsJS().map((row) => {
    const obj: Record<string, Cell> = {};
    names.forEach((n, i) => {
      obj[n] = toCell(row[i]);
    });
    return obj;
  });
}

/** Rows as arrays (column order of the query). */
export async function queryArrays(
  connection: DuckDBConnection,
  sql: string,
): Promise<{ names: string[]; rows: Cell[][] }> {
  const reader = await connection.runAndReadAll(sql);
  return { names: reader.columnNames(), rows: reader.getRowsJS().map((r) => r.map(toCell)) };
}

function toCell(v: unknown): Cell {
  if (v === null || v === undefined) return null;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') return v;
  if (v instanceof Date) return v.toISOString();
  return String(v);
}

export async function describe(connection: DuckDBConnection, relation: string): Promise<ColumnInfo[]> {
  const rows = await queryRows(connection, `DESCRIBE SELECT * FROM ${relation}`);
  return rows.map((r) => ({ name: String(r.column_name), type: String(r.column_type).toUpperCase() }));
}

export function isNumericType(type: string): boolean {
  return /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|DOUBLE|REAL|DECIMAL)/.test(
    type,
  );
}

export function isStringType(type: string): boolean {
  return type === 'VARCHAR' || type.startsWith('VARCHAR');
}

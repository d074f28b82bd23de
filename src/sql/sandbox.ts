// The SQL boundary for SQL that users write (DQDL CustomSql and where clauses, `autogov query`):
// one SELECT that reads only the tables it is given. DuckDB's own parser decides what the text is
// (`json_serialize_sql`), so there is no second grammar to get wrong; the walk refuses table
// functions (read_text, read_csv, glob, duckdb_settings, …), functions that read settings or the
// environment, and any table outside the scope. `confineToFiles` is the second wall: file access
// switched off except for the table's own files.
import type { DuckDBConnection } from '@duckdb/node-api';
import { quoteLiteral } from '../data/source';
import { DUCKDB_SPILL_DIRECTORY } from '../paths';

export interface TableRef {
  /** '' when the SQL names no schema */
  schema: string;
  table: string;
}

export interface SelectScope {
  /** may the statement read this table (a CTE of the statement itself is always readable) */
  allows(ref: TableRef): boolean;
  /** the tables it may read, for the refusal, e.g. `primary and the reference aliases (reference)` */
  readable: string;
}

/** Table references that read only what is in scope; anything else (TABLE_FUNCTION, SHOW_REF, …) is refused. */
const ALLOWED_REFS = new Set(['BASE_TABLE', 'SUBQUERY', 'JOIN', 'EMPTY', 'EXPRESSION_LIST', 'PIVOT']);

/** Scalar functions that reach outside the tables: settings, variables, the environment, raised values. */
const DENIED_FUNCTIONS = new Set(['current_setting', 'getenv', 'getvariable', 'error', 'current_query']);
const DENIED_PREFIXES = ['read_', 'duckdb_', 'pragma_', 'parquet_', 'sniff_', 'glob', 'json_execute'];

type Json = null | undefined | boolean | number | string | Json[] | { [k: string]: Json };

export type SelectCheck = { ok: true; tables: TableRef[] } | { ok: false; problem: string };

/**
 * Whether `sql` is a single SELECT reading only tables in `scope`, and which tables it names
 * (CTEs aside). The problem names SQL constructs and table names, never data.
 */
export async function checkSelect(
  connection: DuckDBConnection,
  sql: string,
  scope: SelectScope,
): Promise<SelectCheck> {
  const reader = await connection.runAndReadAll(`SELECT json_serialize_sql(${quoteLiteral(sql)})`);
  const tree = JSON.parse(String(reader.getRows()[0]![0])) as Json;
  const refused = (problem: string): SelectCheck => ({ ok: false, problem });
  if (!isObject(tree)) return refused('the SQL could not be parsed');
  if (tree.error === true) {
    const message = String(tree.error_message ?? 'the SQL could not be parsed');
    return refused(
      /Only SELECT/i.test(message) ? 'only a SELECT statement may run here' : message.split('\n')[0]!,
    );
  }
  const statements = tree.statements;
  if (!Array.isArray(statements) || statements.length !== 1)
    return refused('exactly one SELECT statement may run here');
  const ctes = new Set<string>();
  collectCtes(statements, ctes);
  const tables: TableRef[] = [];
  const problem = walk(statements, scope, ctes, tables);
  return problem ? refused(problem) : { ok: true, tables };
}

/** `checkSelect`'s problem, or undefined when the SQL may run. */
export async function selectProblem(
  connection: DuckDBConnection,
  sql: string,
  scope: SelectScope,
): Promise<string | undefined> {
  const check = await checkSelect(connection, sql, scope);
  return check.ok ? undefined : check.problem;
}

function isObject(v: Json): v is { [k: string]: Json } {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function collectCtes(node: Json, into: Set<string>): void {
  if (Array.isArray(node)) for (const n of node) collectCtes(n, into);
  else if (isObject(node)) {
    const map = isObject(node.cte_map) ? node.cte_map.map : undefined;
    if (Array.isArray(map)) for (const e of map) if (isObject(e)) into.add(String(e.key).toLowerCase());
    for (const v of Object.values(node)) collectCtes(v, into);
  }
}

function walk(node: Json, scope: SelectScope, ctes: Set<string>, tables: TableRef[]): string | undefined {
  if (Array.isArray(node)) {
    for (const n of node) {
      const p = walk(n, scope, ctes, tables);
      if (p) return p;
    }
    return undefined;
  }
  if (!isObject(node)) return undefined;
  const problem = functionProblem(node) ?? tableRefProblem(node, scope, ctes, tables);
  if (problem) return problem;
  for (const v of Object.values(node)) {
    const p = walk(v, scope, ctes, tables);
    if (p) return p;
  }
  return undefined;
}

function functionProblem(node: { [k: string]: Json }): string | undefined {
  if (node.class !== 'FUNCTION' || typeof node.function_name !== 'string') return undefined;
  const name = node.function_name.toLowerCase();
  if (DENIED_FUNCTIONS.has(name) || DENIED_PREFIXES.some((p) => name.startsWith(p)))
    return `function ${name}() is not allowed here (it reads settings, the environment or raises values)`;
  return undefined;
}

/** Table references: serialized nodes with a string `type` and a `sample`, neither expressions (`class`) nor query nodes (`modifiers`). */
function tableRefProblem(
  node: { [k: string]: Json },
  scope: SelectScope,
  ctes: Set<string>,
  tables: TableRef[],
): string | undefined {
  if (typeof node.type !== 'string' || !('sample' in node) || 'class' in node || 'modifiers' in node)
    return undefined;
  if (node.type === 'TABLE_FUNCTION') {
    const fn = isObject(node.function) ? String(node.function.function_name) : 'a table function';
    return `table function ${fn}() is not allowed here; read ${scope.readable}`;
  }
  if (!ALLOWED_REFS.has(node.type))
    return `${node.type.toLowerCase()} is not allowed here; read ${scope.readable}`;
  if (node.type !== 'BASE_TABLE') return undefined;
  const catalog = String(node.catalog_name ?? '');
  const schema = String(node.schema_name ?? '').toLowerCase();
  const table = String(node.table_name ?? '').toLowerCase();
  const name = [catalog, schema, table].filter(Boolean).join('.');
  if (catalog === '' && schema === '' && ctes.has(table)) return undefined;
  if (catalog === '' && scope.allows({ schema, table })) {
    tables.push({ schema, table });
    return undefined;
  }
  return `${name} is not readable here; read ${scope.readable}`;
}

/**
 * Switches the connection's file access off except for `files` (the tables' own data files) and its
 * spill folder, for the rest of its life: even SQL that got past `checkSelect` cannot read another
 * file or attach a database, and DuckDB refuses to turn access back on or widen the paths. (Settings
 * stay unlocked so the evaluator can bound its own memory; user SQL cannot SET anything.)
 */
export async function confineToFiles(connection: DuckDBConnection, files: string[]): Promise<void> {
  await connection.run(`SET temp_directory = ${quoteLiteral(DUCKDB_SPILL_DIRECTORY)}`);
  if (files.length) await connection.run(`SET allowed_paths = [${files.map(quoteLiteral).join(', ')}]`);
  await connection.run('SET enable_external_access = false');
}

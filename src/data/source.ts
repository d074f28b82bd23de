import type { DuckDBConnection } from '@duckdb/node-api';
import { UserError } from '../errors';
import { engineErrorText } from '../sql/redact';
import { delimitedLayout, tableFormat } from './files';

export interface Column {
  name: string;
  /** DuckDB type, e.g. BIGINT, VARCHAR */
  type: string;
}

export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

export function quoteLiteral(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

// No columns from `key=value` folders (DuckDB would add them by default): the Glue job reads the
// listed files, and the catalogued tables (the document tables' `dt=` folders) have no partition keys.
const NO_HIVE = 'hive_partitioning = false';

/** The DuckDB table function reading a table's files (one format per table, columns matched by name). */
export function tableReader(files: string[], label: string): string {
  const list = `[${files.map(quoteLiteral).join(', ')}]`;
  const format = tableFormat(files, label);
  switch (format) {
    case 'csv':
    case 'tsv': {
      // The dialect is the format's (files.ts), as validation checked it and the catalog declares it,
      // never sniffed: DuckDB re-sniffs a view's files at every query (~30 ms each), and a sniffer
      // could split a one-column CSV on some other character. TSV: LazySimpleSerDe has no quote or
      // escape character, so neither may DuckDB.
      const { delimiter, quoted } = delimitedLayout(format)!;
      const quote = quoted ? `'"'` : "''";
      return `read_csv(${list}, header = true, delim = ${quoteLiteral(delimiter)}, quote = ${quote}, escape = ${quote}, union_by_name = true, strict_mode = true, ${NO_HIVE})`;
    }
    case 'json':
      return `read_json(${list}, format = 'newline_delimited', union_by_name = true, ${NO_HIVE})`;
    case 'parquet':
      return `read_parquet(${list}, union_by_name = true, ${NO_HIVE})`;
  }
}

/**
 * Exposes the files of a table as one DuckDB view (columns matched by name across files) and
 * returns its schema. `label` names the table in errors.
 */
export async function createTableView(
  connection: DuckDBConnection,
  viewName: string,
  files: string[],
  label = viewName,
): Promise<Column[]> {
  if (files.length === 0) throw new UserError(`${label}: no data files`);
  try {
    await connection.run(
      `CREATE OR REPLACE TEMP VIEW ${quoteIdent(viewName)} AS SELECT * FROM ${tableReader(files, label)}`,
    );
    const described = await connection.runAndReadAll(`DESCRIBE ${quoteIdent(viewName)}`);
    return described
      .getRowObjectsJson()
      .map((r) => ({ name: String(r.column_name), type: String(r.column_type) }));
  } catch (err) {
    if (err instanceof UserError) throw err;
    throw new UserError(`${label}: DuckDB cannot read the table's files: ${engineErrorText(err)}`);
  }
}

/** Glue catalog (Hive) type of a DuckDB column type. */
export function glueType(duckType: string): string {
  const t = duckType.toUpperCase();
  if (t.startsWith('DECIMAL')) return t.toLowerCase();
  const map: Record<string, string> = {
    BOOLEAN: 'boolean',
    TINYINT: 'tinyint',
    SMALLINT: 'smallint',
    INTEGER: 'int',
    BIGINT: 'bigint',
    HUGEINT: 'decimal(38,0)',
    UBIGINT: 'decimal(20,0)',
    FLOAT: 'float',
    DOUBLE: 'double',
    DATE: 'date',
    TIMESTAMP: 'timestamp',
    'TIMESTAMP WITH TIME ZONE': 'timestamp',
    VARCHAR: 'string',
    BLOB: 'binary',
  };
  return map[t] ?? 'string';
}

import { withReadEngine } from './engine';
import { createTableView } from './source';

/**
 * S3 user metadata (`x-amz-meta-autogov-allow-new-columns: true`) that lets one uploaded file add
 * columns to its table: `autogov ingest --allow-new-columns` sets it; in the cloud, set it on the
 * upload (`aws s3 cp … --metadata autogov-allow-new-columns=true`). The governance run honours it.
 */
export const ALLOW_NEW_COLUMNS_METADATA = 'autogov-allow-new-columns';

export const ALLOW_NEW_COLUMNS_FLAG = '--allow-new-columns';

export interface ColumnDifference {
  /** the table's columns the file lacks */
  missing: string[];
  /** the file's columns the table lacks */
  added: string[];
}

/** Names compared case-insensitively: Glue and Athena keep column names lower-case. */
export function columnDifference(
  tableColumns: readonly string[],
  fileColumns: readonly string[],
): ColumnDifference {
  const inTable = new Set(tableColumns.map((c) => c.toLowerCase()));
  const inFile = new Set(fileColumns.map((c) => c.toLowerCase()));
  return {
    missing: tableColumns.filter((c) => !inFile.has(c.toLowerCase())),
    added: fileColumns.filter((c) => !inTable.has(c.toLowerCase())),
  };
}

/**
 * The one-line refusal of a file whose columns differ from its table's (undefined when they match):
 * a file of other columns (`stocks.csv` into `airports`) would silently widen the table, and new
 * columns reach personas under whatever tags they get.
 */
export function columnMismatch(file: string, table: string, diff: ColumnDifference): string | undefined {
  if (diff.missing.length === 0 && diff.added.length === 0) return undefined;
  const parts = [
    ...(diff.missing.length ? [`missing ${diff.missing.join(', ')}`] : []),
    ...(diff.added.length ? [`new ${diff.added.join(', ')}`] : []),
  ];
  return `${file}: columns differ from ${table}: ${parts.join('; ')} — pass ${ALLOW_NEW_COLUMNS_FLAG} to accept them (new columns join the table, missing ones are empty in this file's rows), or check it is the right table`;
}

/**
 * What a governance run says of a staged file bringing columns its catalogued table lacks, uploaded
 * without the approval. Twin: `new_columns_refusal` in glue-scripts/governance_helpers.py.
 */
export function newColumnsRefusal(file: string, table: string, added: readonly string[]): string {
  return `${file}: new columns ${added.join(', ')} not in ${table}; upload it with metadata ${ALLOW_NEW_COLUMNS_METADATA}=true (autogov ingest ${ALLOW_NEW_COLUMNS_FLAG}) to accept them`;
}

/** The columns of data files as the table's reader sees them (DuckDB, matched by name across files). */
export async function dataFileColumns(paths: string[], label: string): Promise<string[]> {
  return withReadEngine(paths, async (connection) =>
    (await createTableView(connection, 'file', paths, label)).map((c) => c.name),
  );
}

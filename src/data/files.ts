import { readdir, stat } from 'node:fs/promises';
import { extname, join, relative, resolve, sep } from 'node:path';
import { UserError } from '../errors';

export type DataFormat = 'csv' | 'tsv' | 'json' | 'parquet';

const EXTENSIONS: Record<string, DataFormat> = {
  '.csv': 'csv',
  '.tsv': 'tsv',
  '.json': 'json',
  '.jsonl': 'json',
  '.ndjson': 'json',
  '.parquet': 'parquet',
};

/**
 * The text layout of a delimited format as Athena reads it: CSV through OpenCSVSerde (quoted values),
 * TSV through LazySimpleSerDe with `field.delim` `\t`, which has no quoting at all
 * (docs/table-files.md) — a `"` in a TSV cell is part of its value.
 */
export function delimitedLayout(format: DataFormat): { delimiter: string; quoted: boolean } | undefined {
  if (format === 'csv') return { delimiter: ',', quoted: true };
  if (format === 'tsv') return { delimiter: '\t', quoted: false };
  return undefined;
}

export function isDataFile(path: string): boolean {
  return extname(path).toLowerCase() in EXTENSIONS;
}

/**
 * Hive and Athena skip every file or folder whose name starts with `_` or `.` (Spark's _SUCCESS,
 * .crc): such an object is never a table's data, under any folder of the table's location.
 */
export function isHiddenPath(relativeKey: string): boolean {
  return relativeKey.split('/').some((segment) => /^[._]/.test(segment));
}

/**
 * The one definition of a table's data file, from its key relative to the table's location: a
 * visible path (no hidden segment), not a folder marker, with a data file extension. Governance,
 * query, the catalog and the Glue job (`data_format` in glue-scripts) all apply it.
 */
export function isTableDataKey(relativeKey: string): boolean {
  return (
    relativeKey !== '' && !relativeKey.endsWith('/') && !isHiddenPath(relativeKey) && isDataFile(relativeKey)
  );
}

export function formatOf(path: string): DataFormat {
  const format = EXTENSIONS[extname(path).toLowerCase()];
  if (!format)
    throw new UserError(
      `${path}: unsupported file type; use .csv or .tsv (with a header row), .json/.jsonl (JSON lines) or .parquet`,
    );
  return format;
}

/**
 * The data files of a table: the file itself, or every data file under the folder (recursively),
 * sorted, as isTableDataKey counts them (Spark's _SUCCESS, .crc and _temporary/ are not data).
 */
export async function listDataFiles(pathOrDir: string): Promise<string[]> {
  const root = resolve(pathOrDir);
  const info = await stat(root).catch(() => undefined);
  if (!info) throw new UserError(`${pathOrDir}: no such file or folder`);
  if (info.isFile()) {
    formatOf(root);
    return [root];
  }
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  const files = entries
    .filter(
      (e) => e.isFile() && isTableDataKey(relative(root, join(e.parentPath, e.name)).split(sep).join('/')),
    )
    .map((e) => join(e.parentPath, e.name))
    .sort();
  if (files.length === 0)
    throw new UserError(`${pathOrDir}: no .csv, .tsv, .json/.jsonl or .parquet files in this folder`);
  return files;
}

/** One table is one format: mixing them would silently drop or mistype columns. */
export function tableFormat(files: string[], label: string): DataFormat {
  const formats = new Set(files.map(formatOf));
  if (formats.size > 1)
    throw new UserError(`${label}: mixes ${[...formats].join(' and ')} files; keep one format per table`);
  return [...formats][0]!;
}

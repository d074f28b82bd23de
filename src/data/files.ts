import { readdir, stat } from 'node:fs/promises';
import { extname, join, resolve } from 'node:path';
import { UserError } from '../errors';

export type DataFormat = 'csv' | 'json' | 'parquet';

const EXTENSIONS: Record<string, DataFormat> = {
  '.csv': 'csv',
  '.json': 'json',
  '.jsonl': 'json',
  '.ndjson': 'json',
  '.parquet': 'parquet',
};

export function isDataFile(path: string): boolean {
  return extname(path).toLowerCase() in EXTENSIONS;
}

export function formatOf(path: string): DataFormat {
  const format = EXTENSIONS[extname(path).toLowerCase()];
  if (!format)
    throw new UserError(
      `${path}: unsupported file type; use .csv (with a header row), .json/.jsonl (JSON lines) or .parquet`,
    );
  return format;
}

/**
 * The data files of a table: the file itself, or every data file under the folder (recursively),
 * sorted. Hidden and underscore-prefixed files (Spark's _SUCCESS, .crc) are not data.
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
    .filter((e) => e.isFile() && !/^[._]/.test(e.name) && isDataFile(e.name))
    .map((e) => join(e.parentPath, e.name))
    .sort();
  if (files.length === 0)
    throw new UserError(`${pathOrDir}: no .csv, .json/.jsonl or .parquet files in this folder`);
  return files;
}

/** One table is one format: mixing them would silently drop or mistype columns. */
export function tableFormat(files: string[], label: string): DataFormat {
  const formats = new Set(files.map(formatOf));
  if (formats.size > 1)
    throw new UserError(`${label}: mixes ${[...formats].join(' and ')} files; keep one format per table`);
  return [...formats][0]!;
}

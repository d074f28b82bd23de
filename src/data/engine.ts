import { statSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';

/** Inputs smaller than this are read on one thread; larger ones gain from DuckDB's parallel scans. */
const SMALL_INPUT_BYTES = 16 * 1024 * 1024;

const sizeOf = (path: string) => {
  try {
    return statSync(path).size;
  } catch {
    return Number.POSITIVE_INFINITY; // the reader names a missing file; here it only counts as large
  }
};

/**
 * An in-memory DuckDB for work over the files at `paths`: on one thread when they are small, where
 * DuckDB's pool only hands tiny tasks from thread to thread (measured: 6% of a small local ingest's
 * CPU), on every core otherwise.
 */
export function openEngine(
  paths: readonly string[],
  options: Record<string, string> = {},
): Promise<DuckDBInstance> {
  const total = paths.reduce((sum, p) => sum + sizeOf(p), 0);
  return DuckDBInstance.create(
    ':memory:',
    total < SMALL_INPUT_BYTES ? { ...options, threads: '1' } : options,
  );
}

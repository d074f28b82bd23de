import { statSync } from 'node:fs';
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { lazy } from '../lazy';

/** Inputs smaller than this are read on one thread; larger ones gain from DuckDB's parallel scans. */
const SMALL_INPUT_BYTES = 16 * 1024 * 1024;

/** A reading engine's memory: its reads stream (validation, column names), needing buffers, not files. */
const READ_MEMORY = '256MB';

const sizeOf = (path: string) => {
  try {
    return statSync(path).size;
  } catch {
    return Number.POSITIVE_INFINITY; // the reader names a missing file; here it only counts as large
  }
};

const small = (paths: readonly string[]) => paths.reduce((sum, p) => sum + sizeOf(p), 0) < SMALL_INPUT_BYTES;

/**
 * An in-memory DuckDB for work over the files at `paths`: on one thread when they are small, where
 * DuckDB's pool only hands tiny tasks from thread to thread (measured: 6% of a small local ingest's
 * CPU), on every core otherwise. The caller closes it.
 */
export function openEngine(paths: readonly string[]): Promise<DuckDBInstance> {
  return DuckDBInstance.create(':memory:', small(paths) ? { threads: '1' } : {});
}

// Created and closed, an engine costs ~35 ms of CPU: reads of small files, which change nothing
// beyond their own connection, share one for the process.
const shared = lazy(() => DuckDBInstance.create(':memory:', { threads: '1', memory_limit: READ_MEMORY }));

/**
 * Runs `fn` on a connection of its own to an in-memory DuckDB of READ_MEMORY for reading the files at
 * `paths`. `fn` may create temporary views (the connection's own) but must not SET anything, confine
 * the connection (src/sql/sandbox.ts) or create lasting objects: small inputs share one engine.
 */
export async function withReadEngine<T>(
  paths: readonly string[],
  fn: (connection: DuckDBConnection) => Promise<T>,
): Promise<T> {
  const own = small(paths)
    ? undefined
    : await DuckDBInstance.create(':memory:', { memory_limit: READ_MEMORY });
  const connection = await (own ?? (await shared())).connect();
  try {
    return await fn(connection);
  } finally {
    connection.closeSync();
    own?.closeSync();
  }
}

// The local lake: object bytes as plain files under `<root>/s3/<bucket>/<key…>` (so users can look at
// them) and everything else — catalog, LF-Tags, object metadata, job runs, executions — in one DuckDB
// file. Each emulator API call runs its statements in one transaction (see `Lake.write`).
import { randomBytes } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { mkdir, open, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { UserError } from '../errors';

export type SqlParam = string | number | boolean | bigint | null;
export type Row = Record<string, unknown>;

/** What a transaction (or a read) can do. */
export interface Db {
  all(sql: string, params?: SqlParam[]): Promise<Row[]>;
  run(sql: string, params?: SqlParam[]): Promise<void>;
}

const SCHEMA = [
  `CREATE TABLE IF NOT EXISTS s3_buckets (name VARCHAR, eventbridge BOOLEAN, created_ms BIGINT)`,
  // One row per version (or delete marker); `path` is where the bytes are (relative to the lake root).
  `CREATE TABLE IF NOT EXISTS s3_objects (
     bucket VARCHAR, key VARCHAR, version_id VARCHAR, is_latest BOOLEAN, is_delete_marker BOOLEAN,
     size BIGINT, etag VARCHAR, content_type VARCHAR, metadata JSON, tags JSON,
     last_modified_ms BIGINT, path VARCHAR, seq BIGINT)`,
  `CREATE TABLE IF NOT EXISTS glue_databases (name VARCHAR, input JSON, create_ms BIGINT)`,
  `CREATE TABLE IF NOT EXISTS glue_tables (
     database VARCHAR, name VARCHAR, input JSON, create_ms BIGINT, update_ms BIGINT, version BIGINT)`,
  `CREATE TABLE IF NOT EXISTS glue_job_runs (
     job_name VARCHAR, run_id VARCHAR, state VARCHAR, arguments JSON, error_message VARCHAR,
     started_ms BIGINT, completed_ms BIGINT)`,
  `CREATE TABLE IF NOT EXISTS lf_tags (tag_key VARCHAR, tag_value VARCHAR, ord BIGINT)`,
  // table_name / column_name are '' for database / table level assignments.
  `CREATE TABLE IF NOT EXISTS lf_assignments (
     database VARCHAR, table_name VARCHAR, column_name VARCHAR, tag_key VARCHAR, tag_value VARCHAR)`,
  // Lake Formation grants made at run time (src/local/lf-permissions.ts); table_name '' = database.
  `CREATE TABLE IF NOT EXISTS lf_permissions (
     principal VARCHAR, database VARCHAR, table_name VARCHAR, permissions JSON, grantable JSON)`,
  `CREATE TABLE IF NOT EXISTS sfn_executions (
     execution_arn VARCHAR, state_machine_arn VARCHAR, name VARCHAR, input VARCHAR, output VARCHAR,
     status VARCHAR, error VARCHAR, cause VARCHAR, start_ms BIGINT, stop_ms BIGINT, history JSON)`,
  `CREATE TABLE IF NOT EXISTS counters (name VARCHAR, value BIGINT)`,
];

/** Serialises async work: one DuckDB connection cannot interleave transactions. */
class Mutex {
  private tail: Promise<unknown> = Promise.resolve();
  lock<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.tail.then(fn, fn);
    this.tail = next.catch(() => undefined);
    return next;
  }
}

/** How a process uses the lake: one writer at a time (ingest, start, …); readers any time. */
export type LakeMode = 'write' | 'read';

/**
 * An idle reader lets go of catalog.duckdb this soon; an idle writer checks this often whether another
 * process waits for the file (see `Lake.whenIdle`).
 */
const IDLE_RELEASE_MS = 50;
/** An idle writer lets go of catalog.duckdb after this long even if no waiter said so. */
const WRITER_IDLE_RELEASE_MS = 1000;
/** How long a process waits for another to let go of catalog.duckdb (readers hold it for one query). */
const LOCK_WAIT_MS = 120_000;

export class Lake {
  private readonly mutex = new Mutex();
  private closed = false;
  private conn: DuckDBConnection | undefined;
  private instance: DuckDBInstance | undefined;
  private queued = 0;
  private idle: NodeJS.Timeout | undefined;
  /** a write committed since the last checkpoint: its changes are only in catalog.duckdb.wal */
  private unCheckpointed = false;

  private constructor(
    /** absolute lake root */
    readonly root: string,
    readonly mode: LakeMode,
    private readonly writerLock: WriterLock | undefined,
  ) {}

  /**
   * Opens the lake. DuckDB lets one process at a time hold catalog.duckdb (and several only when all
   * read): so reads never wait for a running ingest, a Lake holds the file only while it runs
   * statements and lets go as soon as it is idle, while a writer keeps the lake's writer lock (one
   * writing process) for its whole life. A reader sees the last committed state.
   */
  static async open(root: string, mode: LakeMode = 'write', opts: { rebuild?: boolean } = {}): Promise<Lake> {
    const abs = resolve(root);
    const catalog = join(abs, 'catalog.duckdb');
    if (opts.rebuild && existsSync(catalog))
      throw new UserError(
        `${catalog} exists; a rebuild only replaces a lost catalog: move it aside first if it is damaged`,
      );
    // A lake whose catalog is gone still holds objects: recreating it empty would serve them ungoverned.
    if (!opts.rebuild && !existsSync(catalog) && (await readdir(join(abs, 's3')).catch(() => [])).length > 0)
      throw new UserError(
        `${catalog} is missing but the lake holds objects; run \`autogov catalog rebuild\` (re-governs every table from its stored files and records), restore catalog.duckdb from a backup, or move ${abs} aside to start a new lake`,
      );
    const writerLock = mode === 'write' || !existsSync(catalog) ? await WriterLock.take(abs) : undefined;
    const lake = new Lake(abs, writerLock ? 'write' : 'read', writerLock);
    try {
      if (writerLock) {
        await mkdir(join(abs, 's3'), { recursive: true });
        await mkdir(join(abs, '.tmp'), { recursive: true });
        await lake.write(async (db) => {
          for (const sql of SCHEMA) await db.run(sql);
        });
      } else await lake.read(async () => undefined); // refuses a corrupt catalog now, not mid-command
    } catch (err) {
      await lake.close();
      throw err;
    }
    // A reader of a lake that had no catalog yet made an empty one; from here on it only reads.
    if (mode === 'read' && writerLock) {
      await lake.close();
      return Lake.open(root, 'read');
    }
    return lake;
  }

  private readonly db: Db = {
    all: async (sql, params) => {
      const reader = await this.conn!.runAndReadAll(sql, params ?? []);
      return reader.getRowObjectsJS() as Row[];
    },
    run: async (sql, params) => {
      await this.conn!.run(sql, params ?? []);
    },
  };

  /** Reads, serialised with writes so they never see another call's open transaction. */
  read<T>(fn: (db: Db) => Promise<T>): Promise<T> {
    return this.serialised(async () => {
      await this.connect();
      return fn(this.db);
    });
  }

  /** All statements of `fn` commit together or not at all. Do not call read/write inside `fn`. */
  write<T>(fn: (db: Db) => Promise<T>): Promise<T> {
    if (this.mode === 'read') return Promise.reject(new Error(`lake ${this.root} is open for reading only`));
    return this.serialised(async () => {
      const conn = await this.connect();
      await conn.run('BEGIN TRANSACTION');
      try {
        const result = await fn(this.db);
        await conn.run('COMMIT');
        this.unCheckpointed = true;
        return result;
      } catch (err) {
        await conn.run('ROLLBACK');
        throw err;
      }
    });
  }

  /** Runs `fn` after queued calls; when nothing else is queued, catalog.duckdb is let go shortly after. */
  private serialised<T>(fn: () => Promise<T>): Promise<T> {
    this.queued++;
    clearTimeout(this.idle);
    return this.mutex
      .lock(() => {
        this.assertOpen();
        return fn();
      })
      .finally(() => {
        if (--this.queued === 0 && !this.closed) this.whenIdle(Date.now());
      });
  }

  /**
   * Lets go of catalog.duckdb once idle: a reader at once, a writer when another process waits for
   * the file (its flag, `waitingFlag`) or after WRITER_IDLE_RELEASE_MS (a waiter that could not flag):
   * each reopen costs a writer 25-90 ms, several times in a small ingest.
   */
  private whenIdle(since: number): void {
    const timer = setTimeout(async () => {
      const release =
        this.mode === 'read' ||
        Date.now() - since >= WRITER_IDLE_RELEASE_MS ||
        (await othersWaiting(this.root));
      if (this.idle !== timer || this.queued > 0 || this.closed) return; // a call came in meanwhile
      if (release) void this.mutex.lock(async () => this.release());
      else this.whenIdle(since);
    }, IDLE_RELEASE_MS).unref();
    this.idle = timer;
  }

  /** The catalog connection, opened on demand; waits while another process holds the file. */
  private async connect(): Promise<DuckDBConnection> {
    if (this.conn) return this.conn;
    const catalog = join(this.root, 'catalog.duckdb');
    const deadline = Date.now() + LOCK_WAIT_MS;
    let flag: string | undefined;
    try {
      for (let wait = 5; ; wait = Math.min(wait * 2, 200)) {
        try {
          // One thread: the catalog is small and its statements are point lookups, which DuckDB's
          // thread pool only hands between threads.
          this.instance = await DuckDBInstance.create(
            catalog,
            this.mode === 'read' ? { access_mode: 'READ_ONLY', threads: '1' } : { threads: '1' },
          );
          break;
        } catch (err) {
          if (!/Could not set lock|Conflicting lock/.test(String(err)))
            throw new UserError(
              `${catalog} is not a readable DuckDB catalog (corrupt); restore it from a backup or move ${this.root} aside to start a new lake`,
            );
          if (Date.now() > deadline) {
            const pid = /PID (\d+)/.exec(String(err))?.[1];
            throw new Error(
              `the lake ${this.root} is in use by another autogov process${pid ? ` (pid ${pid})` : ''}; wait for it to finish`,
            );
          }
          flag ??= await waitingFlag(this.root);
          await new Promise((r) => setTimeout(r, wait));
        }
      }
    } finally {
      if (flag) await rm(flag, { force: true });
    }
    this.conn = await this.instance.connect();
    // Letting go mid-command skips DuckDB's checkpoint (most of a close's cost): committed writes are
    // in catalog.duckdb.wal, which the next opener, read-only or not, replays. close() checkpoints.
    if (this.mode === 'write') await this.conn.run('PRAGMA disable_checkpoint_on_shutdown');
    return this.conn;
  }

  /** Lets go of catalog.duckdb (committed state is on disk); the next call opens it again. */
  private release(): void {
    if (this.queued > 0 || !this.conn) return;
    this.conn.closeSync();
    this.instance!.closeSync();
    this.conn = undefined;
    this.instance = undefined;
  }

  /** Next value of a named, persistent counter (S3 sequencers, ids). Call inside `write`. */
  static async nextCounter(db: Db, name: string): Promise<number> {
    const rows = await db.all('SELECT value FROM counters WHERE name = $1', [name]);
    const next = rows.length ? num(rows[0]!.value) + 1 : 1;
    if (rows.length) await db.run('UPDATE counters SET value = $1 WHERE name = $2', [next, name]);
    else await db.run('INSERT INTO counters VALUES ($1, $2)', [name, next]);
    return next;
  }

  /**
   * Where the current version of `bucket/key` is mirrored, or undefined when the key cannot be a
   * plain path (empty/`.`/`..` segments, trailing `/`, over-long segments): those bytes go to blobs.
   */
  mirrorPath(bucket: string, key: string): string | undefined {
    const segments = key.split('/');
    const ok = segments.every(
      (s) => s !== '' && s !== '.' && s !== '..' && !s.includes('\0') && Buffer.byteLength(s) <= 255,
    );
    if (!ok) return undefined;
    return this.inside(join(this.root, 's3', bucket, ...segments));
  }

  /** Storage for bytes that are not (or no longer) the mirrored current version. */
  blobPath(bucket: string, versionId: string): string {
    return this.inside(join(this.root, '.versions', bucket, versionId));
  }

  /** Lake-root-relative form stored in DuckDB, so a lake folder can be moved. */
  rel(path: string): string {
    return relative(this.root, path);
  }

  abs(relPath: string): string {
    return this.inside(join(this.root, relPath));
  }

  /** Bytes (or a stream of them) to a temp file in the lake (same filesystem, so the later rename is atomic). */
  async writeTemp(bytes: Uint8Array | AsyncIterable<Uint8Array>): Promise<string> {
    const tmp = join(this.root, '.tmp', `${Date.now()}-${randomBytes(6).toString('hex')}`);
    const fh = await open(tmp, 'w');
    try {
      if (bytes instanceof Uint8Array) await fh.writeFile(bytes);
      else for await (const chunk of bytes) await fh.write(chunk);
      await fh.sync();
    } finally {
      await fh.close();
    }
    return tmp;
  }

  /** `length` bytes of a file from `start`, streamed to a temp file (a copy's bytes, never in memory). */
  copyToTemp(path: string, start: number, length: number): Promise<string> {
    return this.writeTemp(
      length ? createReadStream(path, { start, end: start + length - 1 }) : new Uint8Array(),
    );
  }

  /** Atomically moves `from` to `to`, creating parent folders. */
  async place(from: string, to: string): Promise<void> {
    await mkdir(dirname(to), { recursive: true });
    await rename(from, to);
  }

  async discard(path: string): Promise<void> {
    await rm(path, { force: true });
  }

  /**
   * Closes DuckDB after queued calls finish and gives up the writer lock. Idempotent. What this
   * process wrote is checkpointed into catalog.duckdb, so a lake at rest is that one file.
   */
  async close(): Promise<void> {
    clearTimeout(this.idle);
    await this.mutex.lock(async () => {
      if (this.closed) return;
      this.closed = true;
      try {
        if (this.unCheckpointed) await (await this.connect()).run('CHECKPOINT');
      } finally {
        this.release();
        await this.writerLock?.release();
      }
    });
  }

  private assertOpen(): void {
    if (this.closed) throw new Error(`lake ${this.root} is closed`);
  }

  /** Guards every computed path against escaping the lake root. */
  private inside(path: string): string {
    const rel = relative(this.root, path);
    if (rel === '' || rel.startsWith(`..${sep}`) || rel === '..' || isAbsolute(rel)) {
      throw new Error(`path escapes the lake root: ${path}`);
    }
    return path;
  }
}

export const openLake = (
  root: string,
  mode: LakeMode = 'write',
  opts: { rebuild?: boolean } = {},
): Promise<Lake> => Lake.open(root, mode, opts);

/** While a process waits for catalog.duckdb, `<lake>/.tmp/waiting-<pid>-<id>` says so to the writer. */
const WAITING = 'waiting-';

/** Flags this wait; undefined when the lake is not writable here (the writer lets go in time anyway). */
async function waitingFlag(root: string): Promise<string | undefined> {
  const path = join(root, '.tmp', `${WAITING}${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, '');
    return path;
  } catch {
    return undefined;
  }
}

/** True while some process waits for catalog.duckdb; the flags of processes that are gone are removed. */
async function othersWaiting(root: string): Promise<boolean> {
  const dir = join(root, '.tmp');
  let waiting = false;
  for (const name of await readdir(dir).catch(() => [])) {
    if (!name.startsWith(WAITING)) continue;
    if (alive(Number(name.slice(WAITING.length).split('-')[0]))) waiting = true;
    else await rm(join(dir, name), { force: true });
  }
  return waiting;
}

/**
 * One writing process per lake: `<lake>/writer.pid` holds its pid. A lock whose process is gone (a
 * killed ingest) is taken over; another live writer is refused, as DuckDB's own lock used to refuse it.
 */
class WriterLock {
  private constructor(private readonly path: string) {}

  static async take(root: string): Promise<WriterLock> {
    await mkdir(root, { recursive: true });
    const path = join(root, 'writer.pid');
    for (;;) {
      try {
        const fh = await open(path, 'wx');
        await fh.writeFile(String(process.pid));
        await fh.close();
        return new WriterLock(path);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
      const pid = Number((await readFile(path, 'utf8').catch(() => '')).trim());
      if (pid > 0 && pid !== process.pid && alive(pid))
        throw new Error(
          `the lake ${root} is in use by another autogov process (pid ${pid}); wait for it to finish`,
        );
      if (pid === process.pid)
        throw new Error(`the lake ${root} is already open for writing in this process; close it first`);
      await rm(path, { force: true }); // left by a process that is gone
    }
  }

  release(): Promise<void> {
    return rm(this.path, { force: true });
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

// Row field readers: DuckDB returns BIGINT as bigint, JSON as string.
export const num = (v: unknown): number => (typeof v === 'bigint' ? Number(v) : Number(v ?? 0));
export const str = (v: unknown): string => (v === null || v === undefined ? '' : String(v));
export const optStr = (v: unknown): string | undefined =>
  v === null || v === undefined ? undefined : String(v);
export const json = <T>(v: unknown, fallback: T): T =>
  v === null || v === undefined ? fallback : (JSON.parse(String(v)) as T);

import { createHash } from 'node:crypto';
import type { S3Location } from '../aws/s3-json';
import type { Settings } from '../aws/services';

// Where autogov keeps its own records in the artifacts bucket, where table uploads are staged (raw)
// and where certified table files are served from (certified bucket).

export const TABLES_PREFIX = 'tables/';

export const tableLocation = (s: Settings, database: string, table: string): S3Location => ({
  bucket: s.rawBucket,
  key: `${TABLES_PREFIX}${database}/${table}/`,
});

/**
 * Where a table's certified files are: its Glue location, what Athena and `query` read. Uploads are
 * staged at tableLocation (raw, never modified); a successful run copies what it evaluated here.
 */
export const certifiedLocation = (s: Settings, database: string, table: string): S3Location => ({
  bucket: s.certifiedBucket,
  key: `${TABLES_PREFIX}${database}/${table}/`,
});

/** One record per run of a table in the artifacts bucket: `<folder>/<database>/<table>/<id>.json`. */
const perRun =
  (folder: string) =>
  (s: Settings, database: string, table: string, id: string): S3Location => ({
    bucket: s.artifactsBucket,
    key: `${folder}/${database}/${table}/${id}.json`,
  });

/** The staged files one run evaluated: what that run promotes once its tags are applied. */
export const manifestLocation = perRun('manifests');

export const findingsLocation = perRun('findings');

export const overridesLocation = (s: Settings, database: string, table: string): S3Location => ({
  bucket: s.artifactsBucket,
  key: `overrides/${database}/${table}.json`,
});

/** The last applied run of a table: the findings it used and the tags it decided. */
export const latestRunLocation = (s: Settings, database: string, table: string): S3Location => ({
  bucket: s.artifactsBucket,
  key: `runs/${database}/${table}/latest.json`,
});

/** The run whose evaluated files the table's certified location holds (written by its Promote step). */
export const certifiedRunLocation = (s: Settings, database: string, table: string): S3Location => ({
  bucket: s.artifactsBucket,
  key: `runs/${database}/${table}/certified.json`,
});

export const failureLocation = perRun('failures');

/** `tables/<database>/<table>/<file…>` → the table, or undefined for any other key. */
export function tableOfKey(key: string): { database: string; table: string; file: string } | undefined {
  const m = /^tables\/([A-Za-z0-9_]+)\/([A-Za-z0-9_]+)\/(.+)$/.exec(key);
  return m ? { database: m[1]!, table: m[2]!, file: m[3]! } : undefined;
}

/**
 * A Step Functions execution name (≤80 chars of [A-Za-z0-9-_]) derived from what identifies an
 * event, so a duplicated event maps to the same name and starts nothing new.
 */
export function executionName(prefix: string, ...identity: (string | undefined)[]): string {
  const hash = createHash('sha256')
    .update(identity.map((p) => p ?? '').join('\u0000'))
    .digest('hex')
    .slice(0, 20);
  const safe = prefix.replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 80 - hash.length - 1);
  return `${safe}-${hash}`;
}

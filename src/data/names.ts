import { UserError } from '../errors';
import { formatOf, isHiddenPath } from './files';

// Glue stores database and table names lower-cased; Athena accepts only lower-case letters, digits
// and underscore, at most 255 bytes (docs/table-files.md).
const GLUE_NAME = /^[a-z0-9_]{1,255}$/;
// Schema names the query engines resolve themselves: a table there would shadow or be shadowed.
const RESERVED = new Set(['information_schema', 'pg_catalog', 'main', 'temp', 'system', 'memory']);
// S3 keys are at most 1024 bytes of UTF-8; a local file system allows 255 bytes per path segment.
const MAX_KEY_BYTES = 1024;
const MAX_SEGMENT_BYTES = 255;

/** A database or table name as Glue stores it (lower-cased), or a refusal naming the rule. */
export function glueName(kind: 'database' | 'table', name: string): string {
  const lower = name.toLowerCase();
  if (!GLUE_NAME.test(lower))
    throw new UserError(
      `${kind} name ${JSON.stringify(name.slice(0, 80))}: use 1–255 letters, digits or _ (Glue and Athena names)`,
    );
  if (kind === 'database' && RESERVED.has(lower))
    throw new UserError(`database name ${lower}: reserved by the query engine; choose another name`);
  return lower;
}

/**
 * An object name given for a table file, refused unless governance would count it as data:
 * relative, no empty, `.` or `..` segments, no hidden segment, within S3's and the disk's lengths.
 */
export function tableFileName(name: string, tableKeyPrefix: string): string {
  const shown = JSON.stringify(name.length > 80 ? `${name.slice(0, 80)}…` : name);
  const refuse = (why: string) => new UserError(`file name ${shown}: ${why}`);
  if (name.startsWith('/')) throw refuse('absolute path; give a name relative to the table folder');
  if (name.endsWith('/')) throw refuse('names a folder; give a file name such as part-1.csv');
  const segments = name.split('/');
  if (segments.some((s) => s === '' || s === '.' || s === '..'))
    throw refuse('empty, . or .. path segment; give a plain relative name such as 2024/part-1.csv');
  if (segments.some((s) => Buffer.byteLength(s) > MAX_SEGMENT_BYTES))
    throw refuse(`a path segment is over ${MAX_SEGMENT_BYTES} bytes; shorten it`);
  if (Buffer.byteLength(tableKeyPrefix + name) > MAX_KEY_BYTES)
    throw refuse(`the object key would be over S3's ${MAX_KEY_BYTES} bytes; shorten it`);
  if (isHiddenPath(name)) throw refuse('starts with _ or . (Athena and Hive skip such files); rename it');
  formatOf(name);
  return name;
}

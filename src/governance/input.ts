import { z } from 'zod';
import { UserError } from '../errors';
import { decodeEventKey } from '../s3-event-key';
import { tableOfKey } from './keys';

const tableName = z.string().regex(/^[A-Za-z0-9_]+$/, 'must be letters, digits or _');

const s3Event = z.object({
  source: z.literal('aws.s3'),
  'detail-type': z.string(),
  detail: z.object({
    bucket: z.object({ name: z.string() }),
    object: z.object({ key: z.string(), 'version-id': z.string().optional(), etag: z.string().optional() }),
  }),
});
const byTable = z.object({ database: tableName, table: tableName });
const byObject = z.object({ bucket: z.string().min(1), key: z.string().min(1) });

/** The object key an execution input names (S3 event or `{"bucket","key"}`), or undefined. */
export function triggerKey(input: unknown): string | undefined {
  const event = s3Event.safeParse(input);
  if (event.success) return decodeEventKey(event.data.detail.object.key);
  const object = byObject.safeParse(input);
  return object.success ? object.data.key : undefined;
}

export interface TableTarget {
  database: string;
  table: string;
  /** the object whose change triggered the run, when there is one */
  trigger?: { bucket: string; key: string; versionId?: string; etag?: string; event: string };
}

/**
 * What a table-governance execution is about, from any of its starts: an EventBridge S3 event, a
 * console input `{"database","table"}`, or `{"bucket","key"}` of an object under tables/.
 */
export function parseTableTarget(input: unknown): TableTarget {
  const event = s3Event.safeParse(input);
  if (event.success) {
    const { bucket, object } = event.data.detail;
    const key = decodeEventKey(object.key);
    return {
      ...fromKey(key),
      trigger: {
        bucket: bucket.name,
        key,
        versionId: object['version-id'],
        etag: object.etag,
        event: event.data['detail-type'],
      },
    };
  }
  const table = byTable.safeParse(input);
  if (table.success) return { database: table.data.database, table: table.data.table };
  const object = byObject.safeParse(input);
  if (object.success) return { ...fromKey(object.data.key), trigger: { ...object.data, event: 'Console' } };
  throw new UserError(
    'execution input: expected {"database":"DB","table":"TABLE"}, {"bucket":"…","key":"tables/DB/TABLE/file"} or an S3 EventBridge event',
  );
}

function fromKey(key: string): { database: string; table: string } {
  const t = tableOfKey(key);
  if (!t) throw new UserError(`${key}: not a table file; table files live under tables/<database>/<table>/`);
  return { database: t.database, table: t.table };
}

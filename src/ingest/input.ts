import { z } from 'zod';
import { UserError } from '../errors';
import { decodeEventKey } from '../s3-event-key';

/** The raw object an ingestion is about. */
export interface RawObjectRef {
  bucket: string;
  key: string;
  versionId?: string;
  etag?: string;
}

const s3Event = z.object({
  source: z.literal('aws.s3'),
  'detail-type': z.string(),
  detail: z.object({
    bucket: z.object({ name: z.string().min(1) }),
    object: z.object({
      key: z.string().min(1),
      'version-id': z.string().optional(),
      etag: z.string().optional(),
    }),
  }),
});
const consoleInput = z.object({
  bucket: z.string().min(1),
  key: z.string().min(1),
  versionId: z.string().min(1).optional(),
  etag: z.string().min(1).optional(),
});

/** An ingestion's object from an EventBridge S3 event or the console's `{"bucket","key"}`. */
export function parseObjectRef(input: unknown): RawObjectRef {
  const event = s3Event.safeParse(input);
  if (event.success) {
    const { bucket, object } = event.data.detail;
    return {
      bucket: bucket.name,
      key: decodeEventKey(object.key),
      versionId: object['version-id'],
      etag: object.etag,
    };
  }
  const direct = consoleInput.safeParse(input);
  if (direct.success) return direct.data;
  throw new UserError(
    'execution input: expected {"bucket":"…","key":"…"} (optionally "versionId") or an S3 EventBridge event',
  );
}

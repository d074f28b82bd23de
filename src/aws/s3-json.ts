import type { z } from 'zod';
import { UserError } from '../errors';
import type { S3Port } from './ports';

export interface S3Location {
  bucket: string;
  key: string;
}

export function parseS3Uri(uri: string): S3Location {
  const m = /^s3:\/\/([^/]+)\/(.*)$/.exec(uri);
  if (!m) throw new Error(`${uri}: not an s3://bucket/key URI`);
  return { bucket: m[1]!, key: m[2]! };
}

export const s3Uri = ({ bucket, key }: S3Location) => `s3://${bucket}/${key}`;

/** Reads and validates a JSON object; a missing object is `undefined`, anything else malformed throws. */
export async function readJson<T>(s3: S3Port, at: S3Location, schema: z.ZodType<T>): Promise<T | undefined> {
  let text: string;
  try {
    const res = await s3.getObject({ Bucket: at.bucket, Key: at.key });
    text = (await res.Body?.transformToString('utf-8')) ?? '';
  } catch (err) {
    if ((err as { name?: string }).name === 'NoSuchKey') return undefined;
    throw err;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    // autogov wrote it: a damaged record is named, never quoted (it may hold cell values).
    throw new UserError(
      `${s3Uri(at)}: not valid JSON (damaged record); restore it, or delete it and re-run governance of the table`,
    );
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`${s3Uri(at)}: invalid at ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  return parsed.data;
}

export async function writeJson(s3: S3Port, at: S3Location, value: unknown): Promise<void> {
  await s3.putObject({
    Bucket: at.bucket,
    Key: at.key,
    Body: `${JSON.stringify(value, null, 2)}\n`,
    ContentType: 'application/json',
  });
}

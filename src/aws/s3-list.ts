import type * as s3 from '@aws-sdk/client-s3';
import type { S3Port } from './ports';

/** Every object under `prefix`, in S3's key order, across ListObjectsV2's pages (1000 keys each). */
export async function* listObjects(port: S3Port, bucket: string, prefix: string): AsyncGenerator<s3._Object> {
  let token: string | undefined;
  do {
    const page = await port.listObjectsV2({ Bucket: bucket, Prefix: prefix, ContinuationToken: token });
    yield* page.Contents ?? [];
    token = page.NextContinuationToken;
  } while (token);
}

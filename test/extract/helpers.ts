// An in-memory S3Port for the extraction tests (ranged GETs included); the LocalS3 integration test
// covers the real local emulator.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type * as s3 from '@aws-sdk/client-s3';
import { NoSuchKey, NotFound } from '@aws-sdk/client-s3';
import { sdkStreamMixin } from '@smithy/util-stream';
import type { S3Port } from '../../src/aws/ports';

export const SAMPLES = join(__dirname, '..', '..', 'samples', 'documents');
export const sample = (name: string): Buffer => readFileSync(join(SAMPLES, name));

export class MemoryS3 implements S3Port {
  readonly objects = new Map<string, { bytes: Buffer; contentType?: string }>();
  readonly ranges: string[] = [];

  put(bucket: string, key: string, bytes: Buffer | string, contentType?: string): void {
    this.objects.set(`${bucket}/${key}`, { bytes: Buffer.from(bytes), contentType });
  }

  text(bucket: string, key: string): string {
    const o = this.objects.get(`${bucket}/${key}`);
    if (!o) throw new Error(`no ${bucket}/${key}`);
    return o.bytes.toString('utf8');
  }

  private find(input: { Bucket?: string; Key?: string }, head = false) {
    const o = this.objects.get(`${input.Bucket}/${input.Key}`);
    if (!o) {
      throw head
        ? new NotFound({ message: 'Not Found', $metadata: {} })
        : new NoSuchKey({ message: 'The specified key does not exist.', $metadata: {} });
    }
    return o;
  }

  async getObject(input: s3.GetObjectCommandInput): Promise<s3.GetObjectCommandOutput> {
    const o = this.find(input);
    let bytes = o.bytes;
    if (input.Range) {
      this.ranges.push(input.Range);
      const m = /^bytes=(\d*)-(\d*)$/.exec(input.Range)!;
      if (m[1] === '') bytes = bytes.subarray(Math.max(0, bytes.length - Number(m[2])));
      else bytes = bytes.subarray(Number(m[1]), m[2] === '' ? undefined : Number(m[2]) + 1);
    }
    return {
      $metadata: {},
      Body: sdkStreamMixin(Readable.from([Buffer.from(bytes)])),
      ContentLength: bytes.length,
      ContentType: o.contentType,
    };
  }

  async headObject(input: s3.HeadObjectCommandInput): Promise<s3.HeadObjectCommandOutput> {
    const o = this.find(input, true);
    return { $metadata: {}, ContentLength: o.bytes.length, ContentType: o.contentType };
  }

  async putObject(input: s3.PutObjectCommandInput): Promise<s3.PutObjectCommandOutput> {
    this.put(input.Bucket!, input.Key!, Buffer.from(input.Body as string | Uint8Array), input.ContentType);
    return { $metadata: {} };
  }

  async deleteObject(input: s3.DeleteObjectCommandInput): Promise<s3.DeleteObjectCommandOutput> {
    this.objects.delete(`${input.Bucket}/${input.Key}`);
    return { $metadata: {} };
  }

  async copyObject(): Promise<s3.CopyObjectCommandOutput> {
    throw new Error('not used');
  }

  async listObjectsV2(): Promise<s3.ListObjectsV2CommandOutput> {
    throw new Error('not used');
  }

  async createMultipartUpload(): Promise<s3.CreateMultipartUploadCommandOutput> {
    throw new Error('not used');
  }

  async uploadPartCopy(): Promise<s3.UploadPartCopyCommandOutput> {
    throw new Error('not used');
  }

  async completeMultipartUpload(): Promise<s3.CompleteMultipartUploadCommandOutput> {
    throw new Error('not used');
  }

  async abortMultipartUpload(): Promise<s3.AbortMultipartUploadCommandOutput> {
    throw new Error('not used');
  }

  async getObjectTagging(): Promise<s3.GetObjectTaggingCommandOutput> {
    throw new Error('not used');
  }

  async putObjectTagging(): Promise<s3.PutObjectTaggingCommandOutput> {
    throw new Error('not used');
  }
}

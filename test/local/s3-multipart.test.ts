// The local S3's copies, as strict as S3: CopyObject's metadata directive and CopySourceIfMatch, and the
// multipart copy (UploadPartCopy) that objects over CopyObject's 5 GB take — S3's part rules and ETags.
import { createHash } from 'node:crypto';
import { copyObjectOfAnySize, MULTIPART } from '../../src/aws/s3-copy';
import { LocalS3 } from '../../src/local/s3';
import { type Lake, openLake } from '../../src/local/store';
import { rejection, tempDir } from './helpers';

const md5 = (b: Buffer | string) => createHash('md5').update(b).digest('hex');
const MiB = 1024 ** 2;

describe('LocalS3 copies', () => {
  let tmp: ReturnType<typeof tempDir>;
  let lake: Lake;
  let s3: LocalS3;
  const big = Buffer.alloc(11 * MiB, 'id,email\n1,someone@example.com\n');

  beforeEach(async () => {
    tmp = tempDir();
    lake = await openLake(tmp.dir);
    s3 = new LocalS3(lake);
    await s3.createBucket('raw');
    await s3.createBucket('certified');
  });
  afterEach(async () => {
    await lake.close();
    tmp.cleanup();
  });

  const body = async (Key: string) =>
    Buffer.from(await (await s3.getObject({ Bucket: 'certified', Key })).Body!.transformToByteArray());

  it('CopyObject keeps the source metadata by default and takes the request’s with REPLACE', async () => {
    await s3.putObject({
      Bucket: 'raw',
      Key: 'a.csv',
      Body: 'x\n',
      ContentType: 'text/csv',
      Metadata: { a: '1' },
    });
    await s3.copyObject({
      Bucket: 'certified',
      Key: 'kept.csv',
      CopySource: 'raw/a.csv',
      Metadata: { b: '2' },
    });
    expect(await s3.headObject({ Bucket: 'certified', Key: 'kept.csv' })).toMatchObject({
      ContentType: 'text/csv',
      Metadata: { a: '1' },
    });
    await s3.copyObject({
      Bucket: 'certified',
      Key: 'replaced.csv',
      CopySource: 'raw/a.csv',
      MetadataDirective: 'REPLACE',
      ContentType: 'text/plain',
      Metadata: { b: '2' },
    });
    expect(await s3.headObject({ Bucket: 'certified', Key: 'replaced.csv' })).toMatchObject({
      ContentType: 'text/plain',
      Metadata: { b: '2' },
    });
  });

  it('a copy whose source no longer has the ETag given is refused with 412 PreconditionFailed', async () => {
    const put = await s3.putObject({ Bucket: 'raw', Key: 'a.csv', Body: 'x\n' });
    await s3.putObject({ Bucket: 'raw', Key: 'a.csv', Body: 'changed\n' });
    const err = await rejection(
      s3.copyObject({
        Bucket: 'certified',
        Key: 'a.csv',
        CopySource: 'raw/a.csv',
        CopySourceIfMatch: put.ETag,
      }),
    );
    expect(err.name).toBe('PreconditionFailed');
    const part = await rejection(
      copyObjectOfAnySize(
        s3,
        { bucket: 'raw', key: 'a.csv', etag: put.ETag!, size: 6 * MiB },
        { bucket: 'certified', key: 'a.csv', metadata: {} },
        { maxCopyObjectBytes: 1, partBytes: MULTIPART.minPartBytes },
      ),
    );
    expect(part.name).toBe('PreconditionFailed');
    expect((await s3.listObjectsV2({ Bucket: 'certified' })).KeyCount).toBe(0);
  });

  it('a multipart copy assembles the byte ranges, with S3’s ETag md5(part MD5s)-N', async () => {
    const put = await s3.putObject({ Bucket: 'raw', Key: 'big.csv', Body: big });
    const { parts } = await copyObjectOfAnySize(
      s3,
      { bucket: 'raw', key: 'big.csv', versionId: put.VersionId, etag: put.ETag!, size: big.length },
      { bucket: 'certified', key: 'big.csv', contentType: 'text/csv', metadata: { source: 'x' } },
      { maxCopyObjectBytes: MULTIPART.minPartBytes, partBytes: MULTIPART.minPartBytes },
    );
    expect(parts).toBe(3);
    const ranges = [0, 5 * MiB, 10 * MiB].map((start) => big.subarray(start, start + 5 * MiB));
    const expected = md5(Buffer.concat(ranges.map((r) => Buffer.from(md5(r), 'hex'))));
    const head = await s3.headObject({ Bucket: 'certified', Key: 'big.csv' });
    expect(head).toMatchObject({
      ETag: `"${expected}-3"`,
      ContentLength: big.length,
      ContentType: 'text/csv',
      Metadata: { source: 'x' },
    });
    expect(md5(await body('big.csv'))).toBe(md5(big));
    // A CopyObject of a multipart object is one part again: the MD5 of its bytes.
    const copy = await s3.copyObject({
      Bucket: 'certified',
      Key: 'again.csv',
      CopySource: 'certified/big.csv',
    });
    expect(copy.CopyObjectResult?.ETag).toBe(`"${md5(big)}"`);
  });

  it('enforces S3’s part rules: 5 MiB minimum but for the last part, listed parts, ascending, live uploads', async () => {
    await s3.putObject({ Bucket: 'raw', Key: 'big.csv', Body: big });
    const target = { Bucket: 'certified', Key: 'big.csv' };
    const { UploadId } = await s3.createMultipartUpload(target);
    const part = (PartNumber: number, CopySourceRange: string) =>
      s3.uploadPartCopy({ ...target, UploadId, PartNumber, CopySource: 'raw/big.csv', CopySourceRange });
    const small = await part(1, 'bytes=0-1023');
    const rest = await part(2, `bytes=1024-${big.length - 1}`);
    const complete = (Parts: { PartNumber: number; ETag?: string }[]) =>
      s3.completeMultipartUpload({ ...target, UploadId, MultipartUpload: { Parts } });
    const [one, two] = [small.CopyPartResult!.ETag!, rest.CopyPartResult!.ETag!];
    expect(
      (
        await rejection(
          complete([
            { PartNumber: 1, ETag: one },
            { PartNumber: 2, ETag: two },
          ]),
        )
      ).name,
    ).toBe('EntityTooSmall');
    expect(
      (
        await rejection(
          complete([
            { PartNumber: 2, ETag: two },
            { PartNumber: 1, ETag: one },
          ]),
        )
      ).name,
    ).toBe('InvalidPartOrder');
    expect((await rejection(complete([{ PartNumber: 2, ETag: one }]))).name).toBe('InvalidPart');
    expect((await rejection(part(10_001, 'bytes=0-1'))).name).toBe('InvalidArgument');
    expect((await rejection(part(3, `bytes=0-${big.length}`))).name).toBe('InvalidArgument');
    // The last part alone may be small.
    await complete([{ PartNumber: 2, ETag: two }]);
    expect(md5(await body('big.csv'))).toBe(md5(big.subarray(1024)));
    expect((await rejection(complete([{ PartNumber: 2, ETag: two }]))).name).toBe('NoSuchUpload');
    const aborted = await s3.createMultipartUpload(target);
    await s3.abortMultipartUpload({ ...target, UploadId: aborted.UploadId });
    expect(
      (
        await rejection(
          s3.uploadPartCopy({
            ...target,
            UploadId: aborted.UploadId,
            PartNumber: 1,
            CopySource: 'raw/big.csv',
          }),
        )
      ).name,
    ).toBe('NoSuchUpload');
  });
});

import { join } from 'node:path';
import {
  CreateBucketCommand,
  DeleteObjectsCommand,
  ListObjectVersionsCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { startMoto } from '../support/moto';

interface Put {
  input: { Bucket: string; Key: string; Body: Buffer };
}
const plugin = require(join(__dirname, '..', '..', 'serverless', 'upload-glue-scripts.js')) as {
  glueScriptFiles: () => string[];
  uploadGlueScripts: (o: {
    s3: { send: (c: Put) => Promise<unknown> };
    PutObjectCommand: new (input: Put['input']) => Put;
    bucket: string;
  }) => Promise<string[]>;
  emptyBucket: (o: {
    s3: S3Client;
    ListObjectVersionsCommand: typeof ListObjectVersionsCommand;
    DeleteObjectsCommand: typeof DeleteObjectsCommand;
    bucket: string;
    pageSize?: number;
  }) => Promise<number>;
};

describe('serverless/upload-glue-scripts.js', () => {
  it('uploads the job and its helpers, never the tests', async () => {
    expect(plugin.glueScriptFiles()).toEqual(['govern_table.py', 'governance_helpers.py']);
    const sent: Put[] = [];
    const keys = await plugin.uploadGlueScripts({
      s3: { send: async (c) => sent.push(c) },
      PutObjectCommand: class {
        constructor(public input: Put['input']) {}
      },
      bucket: 'artifacts',
    });
    expect(keys).toEqual(['glue-scripts/govern_table.py', 'glue-scripts/governance_helpers.py']);
    expect(sent.map((c) => c.input.Bucket)).toEqual(['artifacts', 'artifacts']);
    expect(sent[0]!.input.Body.toString()).toContain('EvaluateDataQuality');
  });

  it('empties the artifacts bucket before `sls remove`, every version, page by page (against moto)', async () => {
    const moto = await startMoto();
    const s3 = new S3Client({
      endpoint: moto.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
    });
    try {
      const Bucket = 'artifacts';
      await s3.send(new CreateBucketCommand({ Bucket }));
      await s3.send(
        new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: 'Enabled' } }),
      );
      for (let i = 0; i < 5; i++)
        await s3.send(new PutObjectCommand({ Bucket, Key: `findings/r${i}.json`, Body: '{}' }));
      await s3.send(new PutObjectCommand({ Bucket, Key: 'findings/r0.json', Body: '{"v":2}' }));
      const deleted = await plugin.emptyBucket({
        s3,
        ListObjectVersionsCommand,
        DeleteObjectsCommand,
        bucket: Bucket,
        pageSize: 2,
      });
      expect(deleted).toBe(6);
      const left = await s3.send(new ListObjectVersionsCommand({ Bucket }));
      expect([...(left.Versions ?? []), ...(left.DeleteMarkers ?? [])]).toEqual([]);
    } finally {
      s3.destroy();
      await moto.stop();
    }
  });
});

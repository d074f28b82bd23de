import { join } from 'node:path';

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
});

// Local Serverless plugin: copies glue-scripts/*.py to s3://<artifacts>/glue-scripts/ so the Glue job's
// ScriptLocation exists. Runs after every `sls deploy` (the bucket exists only once the stack is up)
// and on demand: `npx sls upload-glue-scripts --stage NAME`. No custom resource, no extra plugin.

const { readdirSync, readFileSync } = require('node:fs');
const { join } = require('node:path');

const SCRIPTS_DIR = join(__dirname, '..', 'glue-scripts');
const PREFIX = 'glue-scripts/';

/** The job's files: every .py except tests (they stay in the repo). */
function glueScriptFiles(dir = SCRIPTS_DIR) {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.py') && !f.startsWith('test_'))
    .sort();
}

/** Uploads the scripts with any S3Client-like `send`; returns the keys written. */
async function uploadGlueScripts({ s3, PutObjectCommand, bucket, dir = SCRIPTS_DIR }) {
  const keys = [];
  for (const file of glueScriptFiles(dir)) {
    const Key = `${PREFIX}${file}`;
    await s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key,
        Body: readFileSync(join(dir, file)),
        ContentType: 'text/x-python',
      }),
    );
    keys.push(Key);
  }
  return keys;
}

class UploadGlueScriptsPlugin {
  constructor(serverless, options, { log } = {}) {
    this.serverless = serverless;
    this.options = options;
    this.log = log || { notice: console.log };
    this.provider = serverless.getProvider('aws');
    this.commands = {
      'upload-glue-scripts': {
        usage: 'Upload glue-scripts/*.py to the stage artifacts bucket',
        lifecycleEvents: ['upload'],
      },
    };
    this.hooks = {
      'after:deploy:deploy': () => this.upload(),
      'upload-glue-scripts:upload': () => this.upload(),
    };
  }

  async upload() {
    const config = await this.provider.getAwsSdkV3Config();
    // The CloudFormation client ships with osls; resolve it from there rather than the project.
    const cfn = require(
      require.resolve('@aws-sdk/client-cloudformation', { paths: [require.resolve('osls')] }),
    );
    const { S3Client, PutObjectCommand } = require('@aws-sdk/client-s3');
    const StackName = this.provider.naming.getStackName();
    const cf = await this.provider.getCloudFormationClient();
    const { Stacks } = await cf.send(new cfn.DescribeStacksCommand({ StackName }));
    const bucket = Stacks?.[0]?.Outputs?.find((o) => o.OutputKey === 'ArtifactsBucketName')?.OutputValue;
    if (!bucket) throw new Error(`${StackName}: no ArtifactsBucketName output; deploy the stack first`);
    const keys = await uploadGlueScripts({ s3: new S3Client(config), PutObjectCommand, bucket });
    this.log.notice(`Glue scripts uploaded to s3://${bucket}/: ${keys.join(', ')}`);
  }
}

module.exports = UploadGlueScriptsPlugin;
module.exports.uploadGlueScripts = uploadGlueScripts;
module.exports.glueScriptFiles = glueScriptFiles;

// Local Serverless plugin: copies glue-scripts/*.py to s3://<artifacts>/glue-scripts/ so the Glue job's
// ScriptLocation exists. Runs after every `sls deploy` (the bucket exists only once the stack is up)
// and on demand: `npx sls upload-glue-scripts --stage NAME`. No custom resource, no extra plugin.
// Before `sls remove` it empties the artifacts bucket (findings, run records, scripts: all derived),
// which CloudFormation cannot delete while it holds objects. Raw and extracted buckets are retained.

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

/**
 * Deletes every object and object version of `bucket` (ListObjectVersions covers unversioned buckets
 * too), a page of at most `pageSize` at a time; returns how many it deleted.
 */
async function emptyBucket({ s3, ListObjectVersionsCommand, DeleteObjectsCommand, bucket, pageSize = 1000 }) {
  let deleted = 0;
  for (;;) {
    // Always the first page: what was listed is deleted before the next listing.
    const page = await s3.send(new ListObjectVersionsCommand({ Bucket: bucket, MaxKeys: pageSize }));
    const objects = [...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])].map((v) => ({
      Key: v.Key,
      VersionId: v.VersionId,
    }));
    if (!objects.length) return deleted;
    const res = await s3.send(
      new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: objects, Quiet: true } }),
    );
    if (res.Errors?.length) {
      const [e] = res.Errors;
      throw new Error(
        `s3://${bucket}/${e.Key}: could not delete (${e.Code}: ${e.Message}); empty the bucket and retry`,
      );
    }
    deleted += objects.length;
  }
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
      'before:remove:remove': () => this.emptyArtifacts(),
    };
  }

  /** The stack's artifacts bucket (an output), or undefined when the stack does not exist. */
  async artifactsBucket() {
    // The CloudFormation client ships with osls; resolve it from there rather than the project.
    const cfn = require(
      require.resolve('@aws-sdk/client-cloudformation', { paths: [require.resolve('osls')] }),
    );
    const StackName = this.provider.naming.getStackName();
    const cf = await this.provider.getCloudFormationClient();
    try {
      const { Stacks } = await cf.send(new cfn.DescribeStacksCommand({ StackName }));
      return Stacks?.[0]?.Outputs?.find((o) => o.OutputKey === 'ArtifactsBucketName')?.OutputValue;
    } catch (err) {
      if (/does not exist/.test(String(err?.message))) return undefined;
      throw err;
    }
  }

  async emptyArtifacts() {
    const bucket = await this.artifactsBucket();
    if (!bucket) return;
    const { S3Client, ListObjectVersionsCommand, DeleteObjectsCommand } = require('@aws-sdk/client-s3');
    const s3 = new S3Client(await this.provider.getAwsSdkV3Config());
    const n = await emptyBucket({ s3, ListObjectVersionsCommand, DeleteObjectsCommand, bucket });
    this.log.notice(
      `Emptied s3://${bucket}/ (${n} objects) so the stack can delete it; raw and extracted buckets are retained`,
    );
  }

  async upload() {
    const config = await this.provider.getAwsSdkV3Config();
    const { S3Client, PutObjectCommand } = require('@aws-sdk/client-s3');
    const bucket = await this.artifactsBucket();
    if (!bucket)
      throw new Error(
        `${this.provider.naming.getStackName()}: no ArtifactsBucketName output; deploy the stack first`,
      );
    const keys = await uploadGlueScripts({ s3: new S3Client(config), PutObjectCommand, bucket });
    this.log.notice(`Glue scripts uploaded to s3://${bucket}/: ${keys.join(', ')}`);
  }
}

module.exports = UploadGlueScriptsPlugin;
module.exports.uploadGlueScripts = uploadGlueScripts;
module.exports.glueScriptFiles = glueScriptFiles;
module.exports.emptyBucket = emptyBucket;

// AWS APIs as ports: the narrow slice of each SDK v3 client autogov calls, typed with the SDK's own
// request/response types. In the cloud these are real clients (an `S3` instance satisfies S3Port);
// locally they are the emulators in src/local/ implementing the same signatures.
import type * as eb from '@aws-sdk/client-eventbridge';
import type * as glue from '@aws-sdk/client-glue';
import type * as lf from '@aws-sdk/client-lakeformation';
import type * as s3 from '@aws-sdk/client-s3';
import type * as sfn from '@aws-sdk/client-sfn';

export interface S3Port {
  getObject(input: s3.GetObjectCommandInput): Promise<s3.GetObjectCommandOutput>;
  putObject(input: s3.PutObjectCommandInput): Promise<s3.PutObjectCommandOutput>;
  headObject(input: s3.HeadObjectCommandInput): Promise<s3.HeadObjectCommandOutput>;
  deleteObject(input: s3.DeleteObjectCommandInput): Promise<s3.DeleteObjectCommandOutput>;
  copyObject(input: s3.CopyObjectCommandInput): Promise<s3.CopyObjectCommandOutput>;
  // Multipart copy, for objects over CopyObject's 5 GB (src/aws/s3-copy.ts).
  createMultipartUpload(
    input: s3.CreateMultipartUploadCommandInput,
  ): Promise<s3.CreateMultipartUploadCommandOutput>;
  uploadPartCopy(input: s3.UploadPartCopyCommandInput): Promise<s3.UploadPartCopyCommandOutput>;
  completeMultipartUpload(
    input: s3.CompleteMultipartUploadCommandInput,
  ): Promise<s3.CompleteMultipartUploadCommandOutput>;
  abortMultipartUpload(
    input: s3.AbortMultipartUploadCommandInput,
  ): Promise<s3.AbortMultipartUploadCommandOutput>;
  listObjectsV2(input: s3.ListObjectsV2CommandInput): Promise<s3.ListObjectsV2CommandOutput>;
  getObjectTagging(input: s3.GetObjectTaggingCommandInput): Promise<s3.GetObjectTaggingCommandOutput>;
  putObjectTagging(input: s3.PutObjectTaggingCommandInput): Promise<s3.PutObjectTaggingCommandOutput>;
}

export interface GluePort {
  getDatabase(input: glue.GetDatabaseCommandInput): Promise<glue.GetDatabaseCommandOutput>;
  getDatabases(input: glue.GetDatabasesCommandInput): Promise<glue.GetDatabasesCommandOutput>;
  createDatabase(input: glue.CreateDatabaseCommandInput): Promise<glue.CreateDatabaseCommandOutput>;
  getTable(input: glue.GetTableCommandInput): Promise<glue.GetTableCommandOutput>;
  getTables(input: glue.GetTablesCommandInput): Promise<glue.GetTablesCommandOutput>;
  createTable(input: glue.CreateTableCommandInput): Promise<glue.CreateTableCommandOutput>;
  updateTable(input: glue.UpdateTableCommandInput): Promise<glue.UpdateTableCommandOutput>;
  startJobRun(input: glue.StartJobRunCommandInput): Promise<glue.StartJobRunCommandOutput>;
  getJobRun(input: glue.GetJobRunCommandInput): Promise<glue.GetJobRunCommandOutput>;
}

export interface LakeFormationPort {
  createLFTag(input: lf.CreateLFTagCommandInput): Promise<lf.CreateLFTagCommandOutput>;
  getLFTag(input: lf.GetLFTagCommandInput): Promise<lf.GetLFTagCommandOutput>;
  updateLFTag(input: lf.UpdateLFTagCommandInput): Promise<lf.UpdateLFTagCommandOutput>;
  listLFTags(input: lf.ListLFTagsCommandInput): Promise<lf.ListLFTagsCommandOutput>;
  addLFTagsToResource(
    input: lf.AddLFTagsToResourceCommandInput,
  ): Promise<lf.AddLFTagsToResourceCommandOutput>;
  removeLFTagsFromResource(
    input: lf.RemoveLFTagsFromResourceCommandInput,
  ): Promise<lf.RemoveLFTagsFromResourceCommandOutput>;
  getResourceLFTags(input: lf.GetResourceLFTagsCommandInput): Promise<lf.GetResourceLFTagsCommandOutput>;
  grantPermissions(input: lf.GrantPermissionsCommandInput): Promise<lf.GrantPermissionsCommandOutput>;
}

export interface SfnPort {
  startExecution(input: sfn.StartExecutionCommandInput): Promise<sfn.StartExecutionCommandOutput>;
  describeExecution(input: sfn.DescribeExecutionCommandInput): Promise<sfn.DescribeExecutionCommandOutput>;
}

export interface EventBridgePort {
  putEvents(input: eb.PutEventsCommandInput): Promise<eb.PutEventsCommandOutput>;
}

import { join } from 'node:path';
import { Logger } from '@aws-lambda-powertools/logger';
import { Comprehend } from '@aws-sdk/client-comprehend';
import { EventBridge } from '@aws-sdk/client-eventbridge';
import { Glue } from '@aws-sdk/client-glue';
import { LakeFormation } from '@aws-sdk/client-lakeformation';
import { Rekognition } from '@aws-sdk/client-rekognition';
import { S3 } from '@aws-sdk/client-s3';
import { SFN } from '@aws-sdk/client-sfn';
import { Textract } from '@aws-sdk/client-textract';
import { Transcribe } from '@aws-sdk/client-transcribe';
import { z } from 'zod';
import type { HandlerFactory, Services } from './services';

const envSchema = z.object({
  STAGE: z.string().min(1),
  RAW_BUCKET: z.string().min(1),
  ARTIFACTS_BUCKET: z.string().min(1),
  CERTIFIED_BUCKET: z.string().default(''),
  GOVERN_TABLE_STATE_MACHINE_ARN: z.string().default(''),
  EVENT_BUS_NAME: z.string().default('default'),
  EXTRACTED_BUCKET: z.string().default(''),
  INGEST_OBJECT_STATE_MACHINE_ARN: z.string().default(''),
  DOCUMENTS_DATABASE: z.string().default('autogov_documents'),
  AUTOGOV_GOVERNANCE: z.string().default('governance.yml'),
  LAMBDA_TASK_ROOT: z.string().default(process.cwd()),
});

let services: Services | undefined;

/** Real SDK clients and settings from the Lambda environment, built once per container. */
export function cloudServices(): Services {
  if (services) return services;
  const env = envSchema.parse(process.env);
  services = {
    s3: new S3({}),
    glue: new Glue({}),
    lakeFormation: new LakeFormation({}),
    sfn: new SFN({}),
    events: new EventBridge({}),
    textract: new Textract({}),
    transcribe: new Transcribe({}),
    comprehend: new Comprehend({}),
    rekognition: new Rekognition({}),
    settings: {
      stage: env.STAGE,
      rawBucket: env.RAW_BUCKET,
      artifactsBucket: env.ARTIFACTS_BUCKET,
      certifiedBucket: env.CERTIFIED_BUCKET,
      governancePath: join(env.LAMBDA_TASK_ROOT, env.AUTOGOV_GOVERNANCE),
      governTableStateMachineArn: env.GOVERN_TABLE_STATE_MACHINE_ARN,
      eventBusName: env.EVENT_BUS_NAME,
      extractedBucket: env.EXTRACTED_BUCKET,
      ingestObjectStateMachineArn: env.INGEST_OBJECT_STATE_MACHINE_ARN,
      documentsDatabase: env.DOCUMENTS_DATABASE,
    },
  };
  return services;
}

const logger = new Logger({ serviceName: 'autogov' });

/**
 * The cloud entry point of a handler module: wires real clients on first invocation and logs
 * failures as structured JSON before rethrowing, so Step Functions sees the error's own name.
 */
export function cloudHandler<E, R>(factory: HandlerFactory<E, R>): (event: E) => Promise<R> {
  let handler: ((event: E) => Promise<R>) | undefined;
  return async (event) => {
    handler ??= factory(cloudServices());
    try {
      return await handler(event);
    } catch (err) {
      logger.error('handler failed', err as Error);
      throw err;
    }
  };
}

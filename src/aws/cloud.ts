import { join } from 'node:path';
import { z } from 'zod';
import { lazy } from '../lazy';
import type { Clients, HandlerFactory, Settings, Uses } from './services';

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
  DOCUMENTS_GOVERN_WINDOW_SECONDS: z.coerce.number().int().min(0).default(0),
  AUTOGOV_GOVERNANCE: z.string().default('governance.yml'),
  LAMBDA_TASK_ROOT: z.string().default(process.cwd()),
});

/** Settings from the Lambda environment. */
function cloudSettings(): Settings {
  const env = envSchema.parse(process.env);
  return {
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
    documentsGovernWindowSeconds: env.DOCUMENTS_GOVERN_WINDOW_SECONDS,
  };
}

const logger = lazy(() => {
  const { Logger } =
    require('@aws-lambda-powertools/logger') as typeof import('@aws-lambda-powertools/logger');
  return new Logger({ serviceName: 'autogov' });
});

/**
 * The cloud entry point of a handler module: builds the SDK clients it names and settings on first
 * invocation, and logs failures as structured JSON before rethrowing, so Step Functions sees the
 * error's own name. `clients` requires each client module itself (the bundler then carries only
 * those): the local runner loads handler modules for their factory and never pays for the SDK.
 */
export function cloudHandler<K extends keyof Clients, E, R>(
  factory: HandlerFactory<E, R, K>,
  clients: () => Pick<Clients, K>,
): (event: E) => Promise<R> {
  let handler: ((event: E) => Promise<R>) | undefined;
  return async (event) => {
    handler ??= factory({ ...clients(), settings: cloudSettings() } as Uses<K>);
    try {
      return await handler(event);
    } catch (err) {
      logger().error('handler failed', err as Error);
      throw err;
    }
  };
}

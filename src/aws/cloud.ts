import { join } from 'node:path';
import { Logger } from '@aws-lambda-powertools/logger';
import { z } from 'zod';
import type { Clients, HandlerFactory, Settings, Uses } from './services';

const envSchema = z.object({
  STAGE: z.string().min(1),
  RAW_BUCKET: z.string().min(1),
  ARTIFACTS_BUCKET: z.string().min(1),
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
    governancePath: join(env.LAMBDA_TASK_ROOT, env.AUTOGOV_GOVERNANCE),
    governTableStateMachineArn: env.GOVERN_TABLE_STATE_MACHINE_ARN,
    eventBusName: env.EVENT_BUS_NAME,
    extractedBucket: env.EXTRACTED_BUCKET,
    ingestObjectStateMachineArn: env.INGEST_OBJECT_STATE_MACHINE_ARN,
    documentsDatabase: env.DOCUMENTS_DATABASE,
    documentsGovernWindowSeconds: env.DOCUMENTS_GOVERN_WINDOW_SECONDS,
  };
}

/** SDK client classes by service, e.g. `{ s3: S3, lakeFormation: LakeFormation }`. */
export type ClientClasses<K extends keyof Clients> = { [C in K]: new () => Clients[C] };

const logger = new Logger({ serviceName: 'autogov' });

/**
 * The cloud entry point of a handler module: builds the clients it names (only those, so the bundle
 * carries no other SDK client) and settings on first invocation, and logs failures as structured
 * JSON before rethrowing, so Step Functions sees the error's own name.
 */
export function cloudHandler<K extends keyof Clients, E, R>(
  factory: HandlerFactory<E, R, K>,
  clients: ClientClasses<K>,
): (event: E) => Promise<R> {
  let handler: ((event: E) => Promise<R>) | undefined;
  return async (event) => {
    handler ??= factory(cloudServices(clients));
    try {
      return await handler(event);
    } catch (err) {
      logger.error('handler failed', err as Error);
      throw err;
    }
  };
}

function cloudServices<K extends keyof Clients>(clients: ClientClasses<K>): Uses<K> {
  const built = Object.fromEntries(
    Object.entries(clients).map(([name, Client]) => [name, new (Client as new () => unknown)()]),
  );
  return { ...built, settings: cloudSettings() } as Uses<K>;
}

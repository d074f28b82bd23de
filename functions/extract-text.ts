import { cloudHandler } from '../src/aws/cloud';
import type { HandlerFactory } from '../src/aws/services';
import { extractTextStep, type Staged, stepInputSchema } from '../src/ingest/steps';

/** Ingestion step (statemachines/ingest-object.asl.yaml): stages the object's text for analysis. */
export const createHandler: HandlerFactory<unknown, Staged, 's3'> = (services) => (event) =>
  extractTextStep(services, stepInputSchema.parse(event));

export const handler = cloudHandler(createHandler, () => {
  const { S3 } = require('@aws-sdk/client-s3') as typeof import('@aws-sdk/client-s3');
  return { s3: new S3() };
});

import { S3 } from '@aws-sdk/client-s3';
import { Textract } from '@aws-sdk/client-textract';
import { cloudHandler } from '../src/aws/cloud';
import type { HandlerFactory } from '../src/aws/services';
import { collectTextractStep, type Staged, stepInputSchema } from '../src/ingest/steps';

/** Ingestion step (statemachines/ingest-object.asl.yaml): stages the object's text for analysis. */
export const createHandler: HandlerFactory<unknown, Staged, 's3' | 'textract'> = (services) => (event) =>
  collectTextractStep(services, stepInputSchema.parse(event));

export const handler = cloudHandler(createHandler, { s3: S3, textract: Textract });

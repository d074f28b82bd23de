import { z } from 'zod';
import { cloudHandler } from '../src/aws/cloud';
import type { HandlerFactory } from '../src/aws/services';
import { loadGovernance } from '../src/config/load';
import { parseObjectRef } from '../src/ingest/input';
import { type Classified, classifyObject } from '../src/ingest/plan';

const inputSchema = z.object({ executionId: z.string().min(1), input: z.unknown() });

/**
 * First ingestion step: classifies the raw object from a ranged read (magic bytes, then extension and
 * Content-Type) and plans the route with every service parameter the state machine passes on.
 */
export const createHandler: HandlerFactory<unknown, Classified, 's3'> = (services) => async (event) => {
  const { executionId, input } = inputSchema.parse(event);
  const config = loadGovernance(services.settings.governancePath).config.extraction;
  return classifyObject(services.s3, parseObjectRef(input), executionId, config, services.settings);
};

export const handler = cloudHandler(createHandler, () => {
  const { S3 } = require('@aws-sdk/client-s3') as typeof import('@aws-sdk/client-s3');
  return { s3: new S3() };
});

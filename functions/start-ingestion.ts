import { cloudHandler } from '../src/aws/cloud';
import type { HandlerFactory } from '../src/aws/services';
import type { StartResult } from '../src/aws/start-once';
import { startIngestion } from '../src/ingest/start';

/**
 * EventBridge (raw bucket object created outside tables/) → ingestion execution. The name derives
 * from bucket/key/ETag, so a duplicated event, or the same content uploaded again, starts nothing new.
 */
export const createHandler: HandlerFactory<unknown, StartResult, 'sfn'> = (services) => (event) =>
  startIngestion(services, event);

export const handler = cloudHandler(createHandler, () => {
  const { SFN } = require('@aws-sdk/client-sfn') as typeof import('@aws-sdk/client-sfn');
  return { sfn: new SFN() };
});

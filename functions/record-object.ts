import { cloudHandler } from '../src/aws/cloud';
import type { HandlerFactory } from '../src/aws/services';
import { loadGovernance } from '../src/config/load';
import { type Recorded, recordIngestion, recordInputSchema } from '../src/ingest/recording';

/**
 * Last ingestion step, reached from every path: status and reason, the raw object's tags, the metadata
 * record, and govern-table started for the document tables.
 */
export const createHandler: HandlerFactory<unknown, Recorded, 's3' | 'glue' | 'sfn'> =
  (services) => async (event) =>
    recordIngestion(
      services,
      loadGovernance(services.settings.governancePath),
      recordInputSchema.parse(event),
    );

export const handler = cloudHandler(createHandler, () => {
  const { S3 } = require('@aws-sdk/client-s3') as typeof import('@aws-sdk/client-s3');
  const { Glue } = require('@aws-sdk/client-glue') as typeof import('@aws-sdk/client-glue');
  const { SFN } = require('@aws-sdk/client-sfn') as typeof import('@aws-sdk/client-sfn');
  return { s3: new S3(), glue: new Glue(), sfn: new SFN() };
});

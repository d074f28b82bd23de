import { Glue } from '@aws-sdk/client-glue';
import { S3 } from '@aws-sdk/client-s3';
import { SFN } from '@aws-sdk/client-sfn';
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

export const handler = cloudHandler(createHandler, { s3: S3, glue: Glue, sfn: SFN });

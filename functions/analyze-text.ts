import { cloudHandler } from '../src/aws/cloud';
import type { HandlerFactory } from '../src/aws/services';
import { loadGovernance } from '../src/config/load';
import type { AnalysisSummary } from '../src/ingest/analyze';
import { analyzeStep, stepInputSchema } from '../src/ingest/steps';

/**
 * Ingestion step: Comprehend (language, PII, entities, key phrases, sentiment) over the staged text,
 * Rekognition for images when configured; writes the extracted JSON and its extracted_text row.
 * Throttling surfaces as the SDK's error name, which the state machine retries with backoff.
 */
export const createHandler: HandlerFactory<unknown, AnalysisSummary, 's3' | 'comprehend' | 'rekognition'> =
  (services) => (event) =>
    analyzeStep(
      services,
      stepInputSchema.parse(event),
      loadGovernance(services.settings.governancePath).config.extraction,
    );

export const handler = cloudHandler(createHandler, () => {
  const { S3 } = require('@aws-sdk/client-s3') as typeof import('@aws-sdk/client-s3');
  const { Comprehend } = require('@aws-sdk/client-comprehend') as typeof import('@aws-sdk/client-comprehend');
  const { Rekognition } =
    require('@aws-sdk/client-rekognition') as typeof import('@aws-sdk/client-rekognition');
  return { s3: new S3(), comprehend: new Comprehend(), rekognition: new Rekognition() };
});

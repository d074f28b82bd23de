// The Lambda steps of statemachines/ingest-object.asl.yaml between classification and recording.
// Each takes `{ executionId, state }` (the whole execution state) and stages its text in S3.
import { z } from 'zod';
import { parseS3Uri, readJson, s3Uri, writeJson } from '../aws/s3-json';
import type { Uses } from '../aws/services';
import type { ExtractionConfig } from '../config/schema';
import type { Classification, TextFormat } from '../extract/classify';
import { ExtractionError } from '../extract/types';
import { type AnalysisSummary, type AnalyzeServices, analyzeExtraction } from './analyze';
import {
  collectTextractText,
  extractObjectText,
  readTranscriptText,
  type WorkText,
  workTextSchema,
} from './extracted';
import { workTextLocation } from './keys';
import type { IngestPlan, RawObject } from './plan';

const obj = <T>() => z.custom<T>((v) => typeof v === 'object' && v !== null);

export const stepInputSchema = z.object({
  executionId: z.string().min(1),
  state: z.looseObject({
    object: obj<RawObject>(),
    classification: obj<Classification>(),
    plan: obj<IngestPlan>(),
    job: z
      .looseObject({ JobId: z.string().optional(), TranscriptionJobName: z.string().optional() })
      .optional(),
    poll: z
      .looseObject({
        result: z
          .looseObject({
            TranscriptionJob: z
              .looseObject({ Transcript: z.looseObject({ TranscriptFileUri: z.string() }).optional() })
              .optional(),
          })
          .optional(),
      })
      .optional(),
    extraction: z.looseObject({ Payload: z.looseObject({ textUri: z.string() }) }).optional(),
  }),
});
export type StepInput = z.infer<typeof stepInputSchema>;

export interface Staged {
  textUri: string;
  source: WorkText['source'];
  codePoints: number;
}

/** ExtractionError → an error whose name Step Functions reports as `ExtractionError.<code>` (see recording.ts). */
export async function asStepError<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof ExtractionError) {
      const e = new Error(err.message);
      e.name = `ExtractionError.${err.code}`;
      throw e;
    }
    throw err;
  }
}

async function stage(services: Uses<'s3'>, input: StepInput, work: WorkText): Promise<Staged> {
  const at = workTextLocation(services.settings, input.state.plan.id);
  await writeJson(services.s3, at, work);
  return { textUri: s3Uri(at), source: work.source, codePoints: Array.from(work.text).length };
}

export const extractTextStep = (services: Uses<'s3'>, input: StepInput): Promise<Staged> =>
  asStepError(async () => {
    const { object, classification } = input.state;
    if (classification.kind !== 'text')
      throw new ExtractionError('unsupported', `${classification.format} is not a text format`);
    const work = await extractObjectText(services.s3, object, classification.format as TextFormat);
    return stage(services, input, work);
  });

export const collectTextractStep = (services: Uses<'s3' | 'textract'>, input: StepInput): Promise<Staged> =>
  asStepError(async () => {
    const jobId = input.state.job?.JobId;
    if (!jobId) throw new Error('no Textract JobId in the execution state');
    const plan = input.state.plan.textract;
    const analysis = plan?.api === 'analysis' ? { featureTypes: plan.FeatureTypes ?? [] } : undefined;
    return stage(services, input, await collectTextractText(services.textract, jobId, analysis));
  });

export const readTranscriptStep = (services: Uses<'s3'>, input: StepInput): Promise<Staged> =>
  asStepError(async () => {
    const uri = input.state.poll?.result?.TranscriptionJob?.Transcript?.TranscriptFileUri;
    if (!uri) throw new Error('the transcription job reported no TranscriptFileUri');
    return stage(services, input, await readTranscriptText(services.s3, uri));
  });

export const analyzeStep = (
  services: AnalyzeServices,
  input: StepInput,
  config: ExtractionConfig,
): Promise<AnalysisSummary> =>
  asStepError(async () => {
    const uri = input.state.extraction?.Payload.textUri;
    if (!uri) throw new Error('no extracted text in the execution state');
    const work = await readJson(services.s3, parseS3Uri(uri), workTextSchema);
    if (!work) throw new Error(`${uri}: extracted text not found`);
    const { object, classification } = input.state;
    return analyzeExtraction(
      services,
      { executionId: input.executionId, object, classification, work },
      config,
    );
  });

// The AI services of the ingestion path as ports, in the style of src/aws/ports.ts: the narrow slice
// of each SDK v3 client autogov calls, typed with the SDK's own request/response types. A real
// `Textract`/`Transcribe`/`Comprehend`/`Rekognition` aggregated client satisfies them in the cloud;
// src/local/{textract,transcribe,comprehend,rekognition}.ts implement them locally.
import type * as comprehend from '@aws-sdk/client-comprehend';
import type * as rekognition from '@aws-sdk/client-rekognition';
import type * as textract from '@aws-sdk/client-textract';
import type * as transcribe from '@aws-sdk/client-transcribe';

export interface TextractPort {
  startDocumentTextDetection(
    input: textract.StartDocumentTextDetectionCommandInput,
  ): Promise<textract.StartDocumentTextDetectionCommandOutput>;
  getDocumentTextDetection(
    input: textract.GetDocumentTextDetectionCommandInput,
  ): Promise<textract.GetDocumentTextDetectionCommandOutput>;
  startDocumentAnalysis(
    input: textract.StartDocumentAnalysisCommandInput,
  ): Promise<textract.StartDocumentAnalysisCommandOutput>;
  getDocumentAnalysis(
    input: textract.GetDocumentAnalysisCommandInput,
  ): Promise<textract.GetDocumentAnalysisCommandOutput>;
}

export interface TranscribePort {
  startTranscriptionJob(
    input: transcribe.StartTranscriptionJobCommandInput,
  ): Promise<transcribe.StartTranscriptionJobCommandOutput>;
  getTranscriptionJob(
    input: transcribe.GetTranscriptionJobCommandInput,
  ): Promise<transcribe.GetTranscriptionJobCommandOutput>;
}

export interface ComprehendPort {
  detectDominantLanguage(
    input: comprehend.DetectDominantLanguageCommandInput,
  ): Promise<comprehend.DetectDominantLanguageCommandOutput>;
  detectPiiEntities(
    input: comprehend.DetectPiiEntitiesCommandInput,
  ): Promise<comprehend.DetectPiiEntitiesCommandOutput>;
  detectEntities(
    input: comprehend.DetectEntitiesCommandInput,
  ): Promise<comprehend.DetectEntitiesCommandOutput>;
  detectKeyPhrases(
    input: comprehend.DetectKeyPhrasesCommandInput,
  ): Promise<comprehend.DetectKeyPhrasesCommandOutput>;
  detectSentiment(
    input: comprehend.DetectSentimentCommandInput,
  ): Promise<comprehend.DetectSentimentCommandOutput>;
}

export interface RekognitionPort {
  detectText(input: rekognition.DetectTextCommandInput): Promise<rekognition.DetectTextCommandOutput>;
  detectLabels(input: rekognition.DetectLabelsCommandInput): Promise<rekognition.DetectLabelsCommandOutput>;
}

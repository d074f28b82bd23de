// RekognitionPort, partly: DetectText runs the local OCR (tesseract.js) and answers in Rekognition's
// shape (LINE and WORD detections, WORDs pointing at their LINE through ParentId, geometry as ratios).
// DetectLabels needs an image-classification model that autogov does not ship, so it throws
// `UnavailableLocallyException` ("extraction unavailable locally: …") instead of returning no labels.
import type * as rekognition from '@aws-sdk/client-rekognition';
import { z } from 'zod';
import type { S3Port } from '../aws/ports';
import { sniff } from '../extract/classify';
import { ocrImage } from '../extract/ocr';
import type { RekognitionPort } from '../extract/ports';
import { type ExtractedDocument, geometryOf } from '../extract/types';
import { awsCodeError, awsError } from './errors';

/** Rekognition image limits: 5 MB as raw bytes, 15 MB from S3. */
const MAX_BYTES = 5 * 1024 * 1024;
const MAX_S3_BYTES = 15 * 1024 * 1024;

const imageSchema = z.union([
  z.object({ Bytes: z.instanceof(Uint8Array) }),
  z.object({
    S3Object: z.object({
      Bucket: z.string().min(1),
      Name: z.string().min(1),
      Version: z.string().optional(),
    }),
  }),
]);

export interface LocalRekognitionOptions {
  ocr?: (bytes: Uint8Array) => Promise<ExtractedDocument>;
}

export class LocalRekognition implements RekognitionPort {
  private readonly ocr: (bytes: Uint8Array) => Promise<ExtractedDocument>;

  constructor(
    private readonly s3: S3Port,
    opts: LocalRekognitionOptions = {},
  ) {
    this.ocr = opts.ocr ?? ocrImage;
  }

  async detectText(input: rekognition.DetectTextCommandInput): Promise<rekognition.DetectTextCommandOutput> {
    const bytes = await this.image(input.Image);
    const doc = await this.ocr(bytes);
    const detections: rekognition.TextDetection[] = [];
    let id = 0;
    for (const line of doc.pages.flatMap((p) => p.lines)) {
      const lineId = id++;
      detections.push({
        DetectedText: line.text,
        Type: 'LINE',
        Id: lineId,
        Confidence: line.confidence,
        Geometry: geometryOf(line.geometry),
      });
      for (const w of line.words) {
        detections.push({
          DetectedText: w.text,
          Type: 'WORD',
          Id: id++,
          ParentId: lineId,
          Confidence: w.confidence,
          Geometry: geometryOf(w.geometry),
        });
      }
    }
    return { $metadata: {}, TextDetections: detections, TextModelVersion: '3.0' };
  }

  async detectLabels(
    input: rekognition.DetectLabelsCommandInput,
  ): Promise<rekognition.DetectLabelsCommandOutput> {
    await this.image(input.Image);
    throw awsCodeError(
      'UnavailableLocallyException',
      'extraction unavailable locally: image labels need a vision model, which the local engines do not include',
      'server',
    );
  }

  /** The image bytes after Rekognition's checks (source, size, PNG/JPEG only). */
  private async image(image: rekognition.Image | undefined): Promise<Uint8Array> {
    const parsed = imageSchema.safeParse(image);
    if (!parsed.success)
      throw awsError<typeof rekognition>('InvalidParameterException', 'Image: specify Bytes or S3Object');
    let bytes: Uint8Array;
    if ('Bytes' in parsed.data) {
      bytes = parsed.data.Bytes;
      if (bytes.length > MAX_BYTES)
        throw awsError<typeof rekognition>('ImageTooLargeException', 'Image size is too large.');
    } else {
      const o = parsed.data.S3Object;
      try {
        const r = await this.s3.getObject({ Bucket: o.Bucket, Key: o.Name, VersionId: o.Version });
        const body = r.Body as { transformToByteArray(): Promise<Uint8Array> } | undefined;
        bytes = body ? await body.transformToByteArray() : new Uint8Array();
      } catch (err) {
        if (err instanceof Error && (err.name === 'NoSuchKey' || err.name === 'NoSuchBucket')) {
          throw awsError<typeof rekognition>(
            'InvalidS3ObjectException',
            'Unable to get object metadata from S3. Check object key, region and/or access permissions.',
          );
        }
        throw err;
      }
      if (bytes.length > MAX_S3_BYTES)
        throw awsError<typeof rekognition>('ImageTooLargeException', 'Image size is too large.');
    }
    const format = sniff(bytes)?.format;
    if (format !== 'png' && format !== 'jpeg')
      throw awsError<typeof rekognition>('InvalidImageFormatException', 'Request has invalid image format');
    return bytes;
  }
}

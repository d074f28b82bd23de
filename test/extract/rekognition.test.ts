import { InvalidImageFormatException, InvalidS3ObjectException } from '@aws-sdk/client-rekognition';
import { LocalRekognition } from '../../src/local/rekognition';
import { MemoryS3, sample } from './helpers';

describe('LocalRekognition', () => {
  const s3 = new MemoryS3();
  s3.put('raw', 'scan.png', sample('invoice-scan.png'));
  s3.put('raw', 'doc.pdf', sample('customer-record.pdf'));
  // The OCR engine itself is covered by documents.test.ts; a fixed layout keeps this test fast.
  const rekognition = new LocalRekognition(s3, {
    ocr: async () => ({
      source: 'ocr',
      text: 'Billed to: Liam Carter',
      emptyPages: [],
      pages: [
        {
          pageNumber: 1,
          lines: [
            {
              text: 'Liam Carter',
              confidence: 95,
              geometry: { Left: 0.1, Top: 0.2, Width: 0.3, Height: 0.05 },
              words: [
                { text: 'Liam', confidence: 96, geometry: { Left: 0.1, Top: 0.2, Width: 0.1, Height: 0.05 } },
                {
                  text: 'Carter',
                  confidence: 94,
                  geometry: { Left: 0.22, Top: 0.2, Width: 0.18, Height: 0.05 },
                },
              ],
            },
          ],
        },
      ],
    }),
  });

  it('DetectText answers LINE and WORD detections with ParentId', async () => {
    const r = await rekognition.detectText({ Image: { S3Object: { Bucket: 'raw', Name: 'scan.png' } } });
    expect(r.TextDetections!.map((d) => [d.Type, d.DetectedText, d.Id, d.ParentId])).toEqual([
      ['LINE', 'Liam Carter', 0, undefined],
      ['WORD', 'Liam', 1, 0],
      ['WORD', 'Carter', 2, 0],
    ]);
  });

  it('rejects non-images and missing objects like the service', async () => {
    await expect(
      rekognition.detectText({ Image: { S3Object: { Bucket: 'raw', Name: 'doc.pdf' } } }),
    ).rejects.toBeInstanceOf(InvalidImageFormatException);
    await expect(
      rekognition.detectText({ Image: { S3Object: { Bucket: 'raw', Name: 'nope.png' } } }),
    ).rejects.toBeInstanceOf(InvalidS3ObjectException);
  });

  it('says labels are unavailable locally instead of returning none', async () => {
    await expect(
      rekognition.detectLabels({ Image: { Bytes: sample('invoice-scan.png') } }),
    ).rejects.toMatchObject({
      name: 'UnavailableLocallyException',
      message: expect.stringMatching(/^extraction unavailable locally: /),
    });
  });
});

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BadRequestException, ConflictException, NotFoundException } from '@aws-sdk/client-transcribe';
import type { TranscribePort } from '../../src/extract/ports';
import { LocalS3 } from '../../src/local/s3';
import { openLake } from '../../src/local/store';
import { LocalTextract } from '../../src/local/textract';
import { LocalTranscribe, outputKeyFor, parseMediaUri } from '../../src/local/transcribe';
import { MemoryS3, sample } from './helpers';

const FAKE_STT = join(__dirname, 'fixtures', 'fake-stt.js');

const s3 = new MemoryS3();
s3.put('raw', 'calls/support-call.wav', sample('support-call.wav'));
s3.put('raw', 'calls/support-call.wav.txt', sample('support-call.wav.txt'));
s3.put('raw', 'calls/silent.wav', sample('support-call.wav'));
s3.put('raw', 'calls/meeting.wav', sample('support-call.wav'));
s3.put(
  'raw',
  'calls/meeting.wav.vtt',
  'WEBVTT\n\n00:00:00.000 --> 00:00:01.500\n<v Noah Patel>Hi, it is Noah.\n\n00:00:01.500 --> 00:00:03.000\n<v Agent>Hello Noah!\n',
);
s3.put('raw', 'docs/record.pdf', sample('customer-record.pdf'));

const job = (name: string, key: string, extra: Record<string, unknown> = {}) => ({
  TranscriptionJobName: name,
  Media: { MediaFileUri: `s3://raw/${key}` },
  LanguageCode: 'en-US' as const,
  OutputBucketName: 'extracted',
  OutputKey: 'transcripts/',
  ...extra,
});

async function finish(transcribe: TranscribePort, TranscriptionJobName: string) {
  const statuses: string[] = [];
  for (let i = 0; i < 5; i++) {
    const { TranscriptionJob } = await transcribe.getTranscriptionJob({ TranscriptionJobName });
    statuses.push(TranscriptionJob!.TranscriptionJobStatus!);
    if (TranscriptionJob!.TranscriptionJobStatus !== 'IN_PROGRESS')
      return { job: TranscriptionJob!, statuses };
  }
  throw new Error('job never finished');
}

interface TranscriptJson {
  status: string;
  results: {
    transcripts: Array<{ transcript: string }>;
    items: Array<{ type: string; alternatives: Array<{ content: string }>; speaker_label?: string }>;
    audio_segments: Array<{
      transcript: string;
      start_time?: string;
      end_time?: string;
      speaker_label?: string;
    }>;
    speaker_labels?: { speakers: number };
  };
  autogov: { source: string; origin: string };
}

describe('LocalTranscribe', () => {
  const transcribe = new LocalTranscribe(s3, { sttCommand: '' });

  it('transcribes from the sidecar and writes Transcribe-shaped JSON to the output bucket', async () => {
    const started = await transcribe.startTranscriptionJob(
      job('call-1', 'calls/support-call.wav', { MediaFormat: 'wav' }),
    );
    expect(started.TranscriptionJob!.TranscriptionJobStatus).toBe('IN_PROGRESS');
    const { job: done, statuses } = await finish(transcribe, 'call-1');
    expect(statuses).toEqual(['IN_PROGRESS', 'COMPLETED']);
    expect(done.Transcript!.TranscriptFileUri).toBe(
      'https://s3.local.amazonaws.com/extracted/transcripts/call-1.json',
    );
    const json = JSON.parse(s3.text('extracted', 'transcripts/call-1.json')) as TranscriptJson;
    expect(json.status).toBe('COMPLETED');
    expect(json.results.transcripts[0]!.transcript).toBe(
      'Hello, this is Noah Patel. I am calling about my order, you can reach me at noah.patel@example.com.',
    );
    const contents = json.results.items.map((i) => i.alternatives[0]!.content);
    expect(contents.slice(0, 6)).toEqual(['Hello', ',', 'this', 'is', 'Noah', 'Patel']);
    expect(contents).toContain('noah.patel@example.com');
    expect(json.results.items[1]!.type).toBe('punctuation');
    expect(json.autogov).toMatchObject({ source: 'sidecar', origin: 'calls/support-call.wav.txt' });
  });

  it('keeps VTT cue times on audio_segments and labels speakers when asked', async () => {
    await transcribe.startTranscriptionJob(
      job('meeting', 'calls/meeting.wav', { Settings: { ShowSpeakerLabels: true, MaxSpeakerLabels: 2 } }),
    );
    await finish(transcribe, 'meeting');
    const json = JSON.parse(s3.text('extracted', 'transcripts/meeting.json')) as TranscriptJson;
    expect(
      json.results.audio_segments.map((s) => [s.transcript, s.start_time, s.end_time, s.speaker_label]),
    ).toEqual([
      ['Hi, it is Noah.', '0.000', '1.500', 'spk_0'],
      ['Hello Noah!', '1.500', '3.000', 'spk_1'],
    ]);
    expect(json.results.speaker_labels).toEqual({ speakers: 2 });
    expect(json.results.items.find((i) => i.alternatives[0]!.content === 'Hello')!.speaker_label).toBe(
      'spk_1',
    );
  });

  it('redacts PII when ContentRedaction is set', async () => {
    await transcribe.startTranscriptionJob(
      job('redacted', 'calls/support-call.wav', {
        OutputKey: 'redacted/out',
        ContentRedaction: { RedactionType: 'PII', RedactionOutput: 'redacted' },
      }),
    );
    await finish(transcribe, 'redacted');
    const json = JSON.parse(s3.text('extracted', 'redacted/out.json')) as TranscriptJson;
    expect(json.results.transcripts[0]!.transcript).toBe(
      'Hello, this is [PII]. I am calling about my order, you can reach me at [PII].',
    );
  });

  it('fails with "extraction unavailable locally" when there is no STT command and no sidecar', async () => {
    await transcribe.startTranscriptionJob(job('silent', 'calls/silent.wav'));
    const { job: failed } = await finish(transcribe, 'silent');
    expect(failed.TranscriptionJobStatus).toBe('FAILED');
    expect(failed.FailureReason).toMatch(/^extraction unavailable locally: no speech-to-text command/);
    expect(failed.Transcript).toBeUndefined();
    expect(s3.objects.has('extracted/transcripts/silent.json')).toBe(false);
  });

  it('runs the configured speech-to-text command', async () => {
    const withStt = new LocalTranscribe(s3, { sttCommand: `"${process.execPath}" ${FAKE_STT}` });
    await withStt.startTranscriptionJob(job('stt', 'calls/silent.wav'));
    const { job: done } = await finish(withStt, 'stt');
    expect(done.TranscriptionJobStatus).toBe('COMPLETED');
    const json = JSON.parse(s3.text('extracted', 'transcripts/stt.json')) as TranscriptJson;
    expect(json.results.transcripts[0]!.transcript).toBe(
      'Transcript of silent.wav (12844 bytes) by Mason Clarke.',
    );
    expect(json.autogov.source).toBe('stt-command');
    const failing = new LocalTranscribe(s3, { sttCommand: `"${process.execPath}" ${FAKE_STT} --fail` });
    await failing.startTranscriptionJob(job('stt-fail', 'calls/silent.wav'));
    expect((await finish(failing, 'stt-fail')).job.FailureReason).toContain('model not found');
  });

  it('fails media that is not audio, mislabelled or missing', async () => {
    await transcribe.startTranscriptionJob(job('pdf', 'docs/record.pdf'));
    expect((await finish(transcribe, 'pdf')).job.FailureReason).toContain('Unsupported media format');
    await transcribe.startTranscriptionJob(job('mp3', 'calls/support-call.wav', { MediaFormat: 'mp3' }));
    expect((await finish(transcribe, 'mp3')).job.FailureReason).toContain(
      "doesn't match the detected media format (wav)",
    );
    await transcribe.startTranscriptionJob(job('gone', 'calls/missing.wav'));
    expect((await finish(transcribe, 'gone')).job.FailureReason).toContain("doesn't point to an S3 object");
  });

  it('throws the service exceptions for bad requests', async () => {
    await expect(
      transcribe.startTranscriptionJob(job('call-1', 'calls/support-call.wav')),
    ).rejects.toBeInstanceOf(ConflictException);
    await expect(transcribe.getTranscriptionJob({ TranscriptionJobName: 'nope' })).rejects.toBeInstanceOf(
      NotFoundException,
    );
    await expect(
      transcribe.startTranscriptionJob(job('bad name!', 'calls/support-call.wav')),
    ).rejects.toBeInstanceOf(BadRequestException);
    await expect(
      transcribe.startTranscriptionJob(job('nolang', 'calls/support-call.wav', { LanguageCode: undefined })),
    ).rejects.toMatchObject({
      name: 'BadRequestException',
      message: expect.stringContaining('IdentifyLanguage'),
    });
  });

  it('URI and output key rules', () => {
    expect(parseMediaUri('s3://raw/a b/ü.wav')).toEqual({ bucket: 'raw', key: 'a b/ü.wav' });
    expect(parseMediaUri('https://s3.us-east-1.amazonaws.com/raw/a%20b.wav')).toEqual({
      bucket: 'raw',
      key: 'a b.wav',
    });
    expect(parseMediaUri('https://raw.s3.us-east-1.amazonaws.com/x.wav')).toEqual({
      bucket: 'raw',
      key: 'x.wav',
    });
    expect(parseMediaUri('ftp://x/y')).toBeUndefined();
    expect(outputKeyFor('j')).toBe('j.json');
    expect(outputKeyFor('j', 'out/')).toBe('out/j.json');
    expect(outputKeyFor('j', 'out/t')).toBe('out/t.json');
  });
});

describe('emulators on the local S3 emulator', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'autogov-extract-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('Textract and Transcribe read raw objects and write results through LocalS3', async () => {
    const lake = await openLake(dir);
    try {
      const local = new LocalS3(lake);
      await local.createBucket('raw');
      await local.createBucket('extracted');
      await local.putObject({
        Bucket: 'raw',
        Key: 'inbox/Réunion 1.pdf',
        Body: sample('customer-record.pdf'),
      });
      await local.putObject({ Bucket: 'raw', Key: 'inbox/call.wav', Body: sample('support-call.wav') });
      await local.putObject({
        Bucket: 'raw',
        Key: 'inbox/call.wav.txt',
        Body: sample('support-call.wav.txt'),
      });

      const textract = new LocalTextract(local);
      const { JobId } = await textract.startDocumentTextDetection({
        DocumentLocation: { S3Object: { Bucket: 'raw', Name: 'inbox/Réunion 1.pdf' } },
      });
      await textract.getDocumentTextDetection({ JobId });
      const r = await textract.getDocumentTextDetection({ JobId });
      expect(r.JobStatus).toBe('SUCCEEDED');
      expect(r.Blocks!.some((b) => b.Text === 'Name: Olivia Bennett')).toBe(true);

      const transcribe = new LocalTranscribe(local, { sttCommand: '' });
      await transcribe.startTranscriptionJob({
        TranscriptionJobName: 'call',
        Media: { MediaFileUri: 's3://raw/inbox/call.wav' },
        IdentifyLanguage: true,
        OutputBucketName: 'extracted',
        OutputKey: 'transcribe/call.json',
      });
      await transcribe.getTranscriptionJob({ TranscriptionJobName: 'call' });
      const done = await transcribe.getTranscriptionJob({ TranscriptionJobName: 'call' });
      expect(done.TranscriptionJob!.TranscriptionJobStatus).toBe('COMPLETED');
      const out = await local.getObject({ Bucket: 'extracted', Key: 'transcribe/call.json' });
      const json = JSON.parse(await out.Body!.transformToString()) as TranscriptJson;
      expect(json.results.transcripts[0]!.transcript).toContain('Noah Patel');
    } finally {
      await lake.close();
    }
  });
});

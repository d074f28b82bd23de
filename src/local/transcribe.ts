// TranscribePort without a speech model: the transcript comes from the local sources of
// src/extract/audio.ts (AUTOGOV_LOCAL_STT command, else a sidecar transcript). When there is neither,
// the job FAILS with FailureReason "extraction unavailable locally: …" — a transcript is never made up.
// The transcript JSON is written to OutputBucketName/OutputKey in Transcribe's shape
// (results.transcripts[0].transcript, items, audio_segments) plus an `autogov` object naming the
// source. Word timings are only present when the source has them (VTT/SRT cue times on audio_segments;
// items carry no start_time/end_time because no aligner runs locally).
// Like LocalTextract: work starts at Start; the first Get answers IN_PROGRESS; later Gets wait for it.
// Jobs live in memory. OutputBucketName is required locally (there is no service-managed bucket).
import type * as transcribe from '@aws-sdk/client-transcribe';
import { z } from 'zod';
import type { S3Port } from '../aws/ports';
import { type LocalTranscript, type TranscribeLocalOptions, transcribeLocal } from '../extract/audio';
import { type AudioFormat, HEAD_BYTES, LIMITS, sniff } from '../extract/classify';
import type { TranscribePort } from '../extract/ports';
import { ExtractionError } from '../extract/types';
import { detectPiiEntities } from '../pii/text';
import { awsError, inputParser } from './errors';

export interface LocalTranscribeOptions extends TranscribeLocalOptions {
  /** Get calls per job that answer IN_PROGRESS before the result (default 1). */
  inProgressPolls?: number;
}

const AUDIO_FORMATS = ['mp3', 'mp4', 'wav', 'flac', 'ogg', 'amr', 'webm', 'm4a'] as const;

const startSchema = z.looseObject({
  TranscriptionJobName: z
    .string()
    .regex(/^[0-9a-zA-Z._-]+$/, 'only letters, digits, . _ and -')
    .max(200),
  Media: z.object({ MediaFileUri: z.string().min(1) }),
  MediaFormat: z.enum(AUDIO_FORMATS).optional(),
  LanguageCode: z.string().optional(),
  IdentifyLanguage: z.boolean().optional(),
  IdentifyMultipleLanguages: z.boolean().optional(),
  OutputBucketName: z.string().min(1).optional(),
  OutputKey: z.string().min(1).max(1024).optional(),
  Settings: z.looseObject({ ShowSpeakerLabels: z.boolean().optional() }).optional(),
  ContentRedaction: z
    .looseObject({
      RedactionType: z.literal('PII'),
      RedactionOutput: z.enum(['redacted', 'redacted_and_unredacted']),
    })
    .optional(),
});
type StartInput = z.infer<typeof startSchema>;

const parse = inputParser((message) => awsError<typeof transcribe>('BadRequestException', message));

/** `s3://bucket/key` or a path-style/virtual-hosted https S3 URL. */
export function parseMediaUri(uri: string): { bucket: string; key: string } | undefined {
  const s3 = /^s3:\/\/([^/]+)\/(.+)$/.exec(uri);
  if (s3) return { bucket: s3[1]!, key: s3[2]! };
  try {
    const u = new URL(uri);
    if (u.protocol !== 'https:') return undefined;
    const path = decodeURIComponent(u.pathname.slice(1));
    const vhost = /^([^.]+)\.s3[.-]/.exec(u.hostname);
    if (vhost) return { bucket: vhost[1]!, key: path };
    const slash = path.indexOf('/');
    return slash > 0 ? { bucket: path.slice(0, slash), key: path.slice(slash + 1) } : undefined;
  } catch {
    return undefined;
  }
}

/** Transcribe's rule: no OutputKey → `<job>.json`; a key ending in `/` is a folder for `<job>.json`. */
export function outputKeyFor(jobName: string, outputKey?: string): string {
  if (!outputKey) return `${jobName}.json`;
  if (outputKey.endsWith('/')) return `${outputKey}${jobName}.json`;
  return outputKey.endsWith('.json') ? outputKey : `${outputKey}.json`;
}

interface Item {
  id: number;
  type: 'pronunciation' | 'punctuation';
  alternatives: Array<{ confidence: string; content: string }>;
  start_time?: string;
  end_time?: string;
  speaker_label?: string;
}

const TOKEN = /[\p{L}\p{N}](?:[\p{L}\p{N}'’@._+-]*[\p{L}\p{N}])?|\[PII\]|[^\s\p{L}\p{N}]/gu;

/** Transcribe's transcript JSON for a local transcript. */
export function transcriptJson(
  jobName: string,
  t: LocalTranscript,
  opts: { speakerLabels?: boolean; redact?: (text: string) => string } = {},
): Record<string, unknown> {
  const items: Item[] = [];
  const speakers = new Map<string, string>();
  const label = (s?: string) => {
    if (!opts.speakerLabels || !s) return undefined;
    if (!speakers.has(s)) speakers.set(s, `spk_${speakers.size}`);
    return speakers.get(s);
  };
  const segments = t.segments.map((seg, id) => {
    const text = opts.redact ? opts.redact(seg.text) : seg.text;
    const ids: number[] = [];
    for (const [tok] of text.matchAll(TOKEN)) {
      const punct = !/[\p{L}\p{N}]/u.test(tok) && tok !== '[PII]';
      const item: Item = {
        id: items.length,
        type: punct ? 'punctuation' : 'pronunciation',
        // A given transcript has no recognition score; 1.0 marks it as taken as-is (see autogov.source).
        alternatives: [{ confidence: punct ? '0.0' : '1.0', content: tok }],
      };
      const spk = label(seg.speaker);
      if (spk && !punct) item.speaker_label = spk;
      ids.push(item.id);
      items.push(item);
    }
    return {
      id,
      transcript: text,
      ...(seg.start !== undefined ? { start_time: seg.start.toFixed(3) } : {}),
      ...(seg.end !== undefined ? { end_time: seg.end.toFixed(3) } : {}),
      ...(label(seg.speaker) ? { speaker_label: label(seg.speaker) } : {}),
      items: ids,
    };
  });
  const transcript = segments.map((s) => s.transcript).join(' ');
  return {
    jobName,
    accountId: '000000000000',
    status: 'COMPLETED',
    results: {
      transcripts: [{ transcript }],
      ...(speakers.size ? { speaker_labels: { speakers: speakers.size } } : {}),
      items,
      audio_segments: segments,
    },
    autogov: {
      source: t.source,
      origin: t.origin,
      note: 'transcribed locally: no word timings; confidence 1.0 means the text was taken as given',
    },
  };
}

/** Replaces PII spans (autogov's detectors, code point offsets) with [PII], as Transcribe redaction does. */
function redactPii(text: string): string {
  const cps = Array.from(text);
  const entities = detectPiiEntities(text, 'en').Entities;
  for (const e of [...entities].reverse()) cps.splice(e.BeginOffset, e.EndOffset - e.BeginOffset, '[PII]');
  return cps.join('');
}

interface Job {
  input: StartInput;
  status: transcribe.TranscriptionJobStatus;
  polls: number;
  created: Date;
  outcome: Promise<
    { ok: true; uri: string; completed: Date } | { ok: false; reason: string; completed: Date }
  >;
}

const bodyBytes = async (r: { Body?: unknown }) =>
  (r.Body as { transformToByteArray?: () => Promise<Uint8Array> } | undefined)?.transformToByteArray?.() ??
  new Uint8Array();

export class LocalTranscribe implements TranscribePort {
  private readonly jobs = new Map<string, Job>();
  private readonly inProgressPolls: number;

  constructor(
    private readonly s3: S3Port,
    private readonly opts: LocalTranscribeOptions = {},
  ) {
    this.inProgressPolls = opts.inProgressPolls ?? 1;
  }

  async startTranscriptionJob(
    input: transcribe.StartTranscriptionJobCommandInput,
  ): Promise<transcribe.StartTranscriptionJobCommandOutput> {
    const p = parse(startSchema, input);
    if (!p.LanguageCode && !p.IdentifyLanguage && !p.IdentifyMultipleLanguages) {
      throw awsError<typeof transcribe>(
        'BadRequestException',
        'Specify LanguageCode, IdentifyLanguage or IdentifyMultipleLanguages.',
      );
    }
    if (!p.OutputBucketName) {
      throw awsError<typeof transcribe>(
        'BadRequestException',
        'OutputBucketName is required by the local Transcribe emulator.',
      );
    }
    if (this.jobs.has(p.TranscriptionJobName)) {
      throw awsError<typeof transcribe>(
        'ConflictException',
        'The requested job name already exists. Use a different job name.',
      );
    }
    const media = parseMediaUri(p.Media.MediaFileUri);
    if (!media)
      throw awsError<typeof transcribe>(
        'BadRequestException',
        `The S3 URI ${p.Media.MediaFileUri} is not valid.`,
      );
    const job: Job = {
      input: p,
      status: 'IN_PROGRESS',
      polls: 0,
      created: new Date(),
      outcome: this.run(p, media),
    };
    this.jobs.set(p.TranscriptionJobName, job);
    return { $metadata: {}, TranscriptionJob: this.describe(job, undefined) };
  }

  async getTranscriptionJob(
    input: transcribe.GetTranscriptionJobCommandInput,
  ): Promise<transcribe.GetTranscriptionJobCommandOutput> {
    const name = parse(z.object({ TranscriptionJobName: z.string().min(1) }), input).TranscriptionJobName;
    const job = this.jobs.get(name);
    if (!job)
      throw awsError<typeof transcribe>(
        'NotFoundException',
        "The requested job couldn't be found. Check the job name and try your request again.",
      );
    if (job.polls < this.inProgressPolls) {
      job.polls++;
      return { $metadata: {}, TranscriptionJob: this.describe(job, undefined) };
    }
    const outcome = await job.outcome;
    job.status = outcome.ok ? 'COMPLETED' : 'FAILED';
    return { $metadata: {}, TranscriptionJob: this.describe(job, outcome) };
  }

  private describe(job: Job, outcome: Awaited<Job['outcome']> | undefined): transcribe.TranscriptionJob {
    const p = job.input;
    return {
      TranscriptionJobName: p.TranscriptionJobName,
      TranscriptionJobStatus: outcome ? job.status : 'IN_PROGRESS',
      LanguageCode: p.LanguageCode as transcribe.LanguageCode | undefined,
      MediaFormat: p.MediaFormat,
      Media: { MediaFileUri: p.Media.MediaFileUri },
      Transcript: outcome?.ok ? { TranscriptFileUri: outcome.uri } : undefined,
      CreationTime: job.created,
      StartTime: job.created,
      CompletionTime: outcome?.completed,
      FailureReason: outcome && !outcome.ok ? outcome.reason : undefined,
      Settings: p.Settings as transcribe.Settings | undefined,
      ContentRedaction: p.ContentRedaction as transcribe.ContentRedaction | undefined,
    };
  }

  /** Never rejects: every problem becomes a FAILED job with a FailureReason. */
  private async run(p: StartInput, media: { bucket: string; key: string }): Job['outcome'] {
    const failed = (reason: string) => ({ ok: false as const, reason, completed: new Date() });
    try {
      let head: Uint8Array;
      let size: number;
      try {
        const h = await this.s3.headObject({ Bucket: media.bucket, Key: media.key });
        size = h.ContentLength ?? 0;
        head = size
          ? await bodyBytes(
              await this.s3.getObject({
                Bucket: media.bucket,
                Key: media.key,
                Range: `bytes=0-${HEAD_BYTES - 1}`,
              }),
            )
          : new Uint8Array();
      } catch (err) {
        if (
          err instanceof Error &&
          (err.name === 'NotFound' || err.name === 'NoSuchKey' || err.name === 'NoSuchBucket')
        ) {
          return failed(
            `The URI that you provided doesn't point to an S3 object. Make sure that the object exists: ${p.Media.MediaFileUri}`,
          );
        }
        throw err;
      }
      const sniffed = size ? sniff(head, { truncated: head.length < size }) : undefined;
      const detected =
        sniffed && (AUDIO_FORMATS as readonly string[]).includes(sniffed.format)
          ? (sniffed.format as AudioFormat)
          : undefined;
      if (!detected)
        return failed(
          'Unsupported media format: the media is not AMR, FLAC, M4A, MP3, MP4, Ogg, WebM or WAV.',
        );
      const compatible =
        p.MediaFormat === detected ||
        (p.MediaFormat === 'mp4' && detected === 'm4a') ||
        (p.MediaFormat === 'm4a' && detected === 'mp4');
      if (p.MediaFormat && !compatible) {
        return failed(
          `The media format that you specified (${p.MediaFormat}) doesn't match the detected media format (${detected}).`,
        );
      }
      if (size > LIMITS.transcribeBytes) return failed('The media file is larger than 2 GB.');
      if ((sniffed?.durationSeconds ?? 0) > LIMITS.transcribeSeconds)
        return failed('The media is longer than 4 hours.');
      const local = await transcribeLocal(this.s3, media, this.opts);
      if (local.status === 'UNAVAILABLE') return failed(local.reason);
      const redact = p.ContentRedaction ? redactPii : undefined;
      const json = transcriptJson(p.TranscriptionJobName, local.transcript, {
        speakerLabels: p.Settings?.ShowSpeakerLabels,
        redact,
      });
      const key = outputKeyFor(p.TranscriptionJobName, p.OutputKey);
      await this.s3.putObject({
        Bucket: p.OutputBucketName!,
        Key: key,
        Body: JSON.stringify(json, null, 2),
        ContentType: 'application/json',
      });
      return {
        ok: true,
        uri: `https://s3.local.amazonaws.com/${p.OutputBucketName}/${key}`,
        completed: new Date(),
      };
    } catch (err) {
      if (err instanceof ExtractionError) return failed(err.message);
      return failed(`Internal failure: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
}

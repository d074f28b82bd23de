// Transcripts without Transcribe. Three sources, in order: a speech-to-text command named by
// AUTOGOV_LOCAL_STT (`cmd file` prints the transcript), a sidecar transcript next to the media
// (`<key>.txt`, `<key>.vtt`, `<key>.srt`), or nothing — then the result says extraction is unavailable
// locally and why. A transcript is never invented.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { S3Port } from '../aws/ports';
import { ExtractionError } from './types';

export const STT_ENV = 'AUTOGOV_LOCAL_STT';
export const SIDECAR_EXTENSIONS = ['txt', 'vtt', 'srt'] as const;
export type SidecarFormat = (typeof SIDECAR_EXTENSIONS)[number];

export interface TranscriptSegment {
  text: string;
  /** Seconds; absent when the source has no timing (plain-text sidecars, STT stdout). */
  start?: number;
  end?: number;
  /** From WebVTT `<v Name>` voice spans. */
  speaker?: string;
}

export interface LocalTranscript {
  text: string;
  segments: TranscriptSegment[];
  source: 'stt-command' | 'sidecar';
  /** The command that ran, or the sidecar's key. */
  origin: string;
}

export type LocalTranscription =
  | { status: 'COMPLETED'; transcript: LocalTranscript }
  | { status: 'UNAVAILABLE'; reason: string };

/** `hh:mm:ss.mmm`, `mm:ss.mmm` or SRT's `hh:mm:ss,mmm` → seconds. */
export function parseTimestamp(ts: string): number {
  const m = /^(?:(\d+):)?(\d{1,2}):(\d{1,2})(?:[.,](\d{1,3}))?$/.exec(ts.trim());
  if (!m) throw new ExtractionError('corrupt', `invalid cue timestamp "${ts}"`);
  const ms = m[4] ? Number(m[4].padEnd(3, '0')) : 0;
  return Number(m[1] ?? 0) * 3600 + Number(m[2]) * 60 + Number(m[3]) + ms / 1000;
}

const TIMING = /^\s*(\S+)\s+-->\s+(\S+)/;

function cueText(lines: string[]): { text: string; speaker?: string } {
  const raw = lines.join(' ');
  const speaker = /<v(?:\.[^\s>]*)?\s+([^>]+)>/.exec(raw)?.[1]?.trim();
  const text = raw
    .replace(/<[^>]*>/g, '')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&nbsp;/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return speaker ? { text, speaker } : { text };
}

/** Cues of a WebVTT or SRT file (the block structure is the same once headers are skipped). */
function parseCues(content: string, kind: 'vtt' | 'srt'): TranscriptSegment[] {
  const blocks = content
    .replace(/^\uFEFF/, '')
    .replace(/\r\n?/g, '\n')
    .split(/\n\s*\n/);
  const out: TranscriptSegment[] = [];
  for (const block of blocks) {
    const lines = block.split('\n').filter((l) => l.trim() !== '');
    const t = lines.findIndex((l) => TIMING.test(l));
    if (t < 0) {
      if (kind === 'vtt' || !lines.length) continue; // WEBVTT header, NOTE, STYLE, REGION
      throw new ExtractionError('corrupt', `SRT block without a timing line: "${lines[0]}"`);
    }
    const [, a, b] = TIMING.exec(lines[t]!)!;
    const { text, speaker } = cueText(lines.slice(t + 1));
    if (!text) continue;
    out.push({ text, start: parseTimestamp(a!), end: parseTimestamp(b!), ...(speaker ? { speaker } : {}) });
  }
  return out;
}

export const parseVtt = (content: string): TranscriptSegment[] => {
  if (!/^\uFEFF?WEBVTT/.test(content))
    throw new ExtractionError('corrupt', 'a WebVTT file must start with WEBVTT');
  return parseCues(content, 'vtt');
};
export const parseSrt = (content: string): TranscriptSegment[] => parseCues(content, 'srt');

/** Transcript text and segments from a sidecar's content. */
export function parseSidecar(
  format: SidecarFormat,
  content: string,
): Pick<LocalTranscript, 'text' | 'segments'> {
  if (format === 'txt') {
    const text = content.replace(/^\uFEFF/, '').trim();
    return { text, segments: text ? [{ text }] : [] };
  }
  const segments = format === 'vtt' ? parseVtt(content) : parseSrt(content);
  return { text: segments.map((s) => s.text).join(' '), segments };
}

/** Splits a command line into argv with '…' / "…" quoting (no shell is involved). */
export function splitCommand(cmd: string): string[] {
  const out: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|'([^']*)'|(\S+)/g;
  for (const m of cmd.matchAll(re)) out.push(m[1]?.replace(/\\(.)/g, '$1') ?? m[2] ?? m[3]!);
  return out;
}

/** Runs `cmd file` and returns stdout; a non-zero exit or a timeout is an ExtractionError. */
export function runSttCommand(cmd: string, file: string, opts: { timeoutMs?: number } = {}): Promise<string> {
  const [bin, ...args] = splitCommand(cmd);
  if (!bin) return Promise.reject(new ExtractionError('unavailable', `${STT_ENV} is empty`));
  const timeout = opts.timeoutMs ?? 30 * 60_000;
  return new Promise((resolve, reject) => {
    execFile(
      bin,
      [...args, file],
      { timeout, maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' },
      (err, stdout, stderr) => {
        if (!err) return resolve(stdout);
        const e = err as NodeJS.ErrnoException & { killed?: boolean; code?: number | string };
        if (e.killed)
          return reject(
            new ExtractionError('timeout', `speech-to-text command timed out after ${timeout} ms`),
          );
        const detail = stderr.trim().split('\n').slice(-3).join(' ') || e.message;
        reject(new ExtractionError('failed', `speech-to-text command "${cmd}" failed: ${detail}`));
      },
    );
  });
}

async function bytesOf(
  s3: S3Port,
  bucket: string,
  key: string,
  versionId?: string,
): Promise<Uint8Array | undefined> {
  try {
    const r = await s3.getObject({ Bucket: bucket, Key: key, VersionId: versionId });
    const body = r.Body as { transformToByteArray(): Promise<Uint8Array> } | undefined;
    return body ? await body.transformToByteArray() : new Uint8Array();
  } catch (err) {
    if (err instanceof Error && (err.name === 'NoSuchKey' || err.name === 'NotFound')) return undefined;
    throw err;
  }
}

export interface TranscribeLocalOptions {
  /** Speech-to-text command; default: the AUTOGOV_LOCAL_STT environment variable. */
  sttCommand?: string;
  timeoutMs?: number;
}

/** The local transcript of an S3 media object, or why there is none. */
export async function transcribeLocal(
  s3: S3Port,
  media: { bucket: string; key: string; versionId?: string },
  opts: TranscribeLocalOptions = {},
): Promise<LocalTranscription> {
  const cmd = (opts.sttCommand ?? process.env[STT_ENV] ?? '').trim();
  if (cmd) {
    const bytes = await bytesOf(s3, media.bucket, media.key, media.versionId);
    if (!bytes) throw new ExtractionError('unavailable', `s3://${media.bucket}/${media.key} does not exist`);
    const dir = await mkdtemp(join(tmpdir(), 'autogov-stt-'));
    // Keep the original name so the command can tell the format from the extension.
    const file = join(dir, basename(media.key).replace(/[^\w.-]/g, '_') || 'media');
    try {
      await writeFile(file, bytes);
      const text = (await runSttCommand(cmd, file, { timeoutMs: opts.timeoutMs })).trim();
      return {
        status: 'COMPLETED',
        transcript: { text, segments: text ? [{ text }] : [], source: 'stt-command', origin: cmd },
      };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
  for (const ext of SIDECAR_EXTENSIONS) {
    const key = `${media.key}.${ext}`;
    const bytes = await bytesOf(s3, media.bucket, key);
    if (!bytes) continue;
    const parsed = parseSidecar(ext, new TextDecoder('utf-8').decode(bytes));
    return { status: 'COMPLETED', transcript: { ...parsed, source: 'sidecar', origin: key } };
  }
  return {
    status: 'UNAVAILABLE',
    reason: `extraction unavailable locally: no speech-to-text command (set ${STT_ENV}) and no sidecar transcript (${SIDECAR_EXTENSIONS.map((e) => `${basename(media.key)}.${e}`).join(', ')})`,
  };
}

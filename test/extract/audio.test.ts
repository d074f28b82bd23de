import { join } from 'node:path';
import {
  parseSidecar,
  parseSrt,
  parseTimestamp,
  parseVtt,
  splitCommand,
  transcribeLocal,
} from '../../src/extract/audio';
import { MemoryS3, sample } from './helpers';

const FAKE_STT = join(__dirname, 'fixtures', 'fake-stt.js');
const stt = (extra = '') => `"${process.execPath}" ${FAKE_STT}${extra}`;

describe('sidecar transcripts', () => {
  it('parses WebVTT cues, voices and timestamps', () => {
    const vtt = [
      'WEBVTT - support call',
      '',
      'NOTE recorded by the phone system',
      '',
      'intro',
      '00:00:00.500 --> 00:00:02.000 align:start',
      '<v Noah Patel>Hello, this is <b>Noah</b>.',
      '',
      '00:01:02.250 --> 01:00:03.000',
      '<v.agent Agent Kim>How can I help &amp; assist?</v>',
      'Second line.',
      '',
    ].join('\r\n');
    expect(parseVtt(vtt)).toEqual([
      { text: 'Hello, this is Noah.', start: 0.5, end: 2, speaker: 'Noah Patel' },
      { text: 'How can I help & assist? Second line.', start: 62.25, end: 3603, speaker: 'Agent Kim' },
    ]);
    expect(() => parseVtt('00:00.000 --> 00:01.000\nhi')).toThrow('must start with WEBVTT');
  });

  it('parses SRT cues', () => {
    const srt =
      '1\n00:00:01,000 --> 00:00:03,500\nHello <i>there</i>\n\n2\n00:00:04,000 --> 00:00:05,000\nBye\n';
    expect(parseSrt(srt)).toEqual([
      { text: 'Hello there', start: 1, end: 3.5 },
      { text: 'Bye', start: 4, end: 5 },
    ]);
    expect(() => parseSrt('1\nno timing here\n')).toThrow('SRT block without a timing line');
  });

  it('timestamps and plain text', () => {
    expect(parseTimestamp('01:02.5')).toBe(62.5);
    expect(parseTimestamp('1:00:00,001')).toBe(3600.001);
    expect(() => parseTimestamp('soon')).toThrow('invalid cue timestamp');
    expect(parseSidecar('txt', '\uFEFF Hello there \n')).toEqual({
      text: 'Hello there',
      segments: [{ text: 'Hello there' }],
    });
  });

  it('splits a command line without a shell', () => {
    expect(splitCommand(`whisper -m "/models/base en.bin" --lang 'en US' -v`)).toEqual([
      'whisper',
      '-m',
      '/models/base en.bin',
      '--lang',
      'en US',
      '-v',
    ]);
  });
});

describe('transcribeLocal', () => {
  const s3 = new MemoryS3();
  s3.put('raw', 'calls/support-call.wav', sample('support-call.wav'));
  s3.put('raw', 'calls/support-call.wav.txt', sample('support-call.wav.txt'));
  s3.put('raw', 'calls/bare.wav', sample('support-call.wav'));
  s3.put('raw', 'calls/cued.wav', sample('support-call.wav'));
  s3.put('raw', 'calls/cued.wav.srt', '1\n00:00:00,000 --> 00:00:00,400\nHi from Ava Thompson\n');

  it('uses the sidecar .txt next to the media', async () => {
    const r = await transcribeLocal(s3, { bucket: 'raw', key: 'calls/support-call.wav' }, { sttCommand: '' });
    expect(r).toEqual({
      status: 'COMPLETED',
      transcript: {
        text: 'Hello, this is Noah Patel. I am calling about my order, you can reach me at noah.patel@example.com.',
        segments: [
          {
            text: 'Hello, this is Noah Patel. I am calling about my order, you can reach me at noah.patel@example.com.',
          },
        ],
        source: 'sidecar',
        origin: 'calls/support-call.wav.txt',
      },
    });
  });

  it('uses an .srt sidecar with its timings', async () => {
    const r = await transcribeLocal(s3, { bucket: 'raw', key: 'calls/cued.wav' }, { sttCommand: '' });
    expect(r.status === 'COMPLETED' && r.transcript.segments).toEqual([
      { text: 'Hi from Ava Thompson', start: 0, end: 0.4 },
    ]);
  });

  it('runs the speech-to-text command on a temporary copy of the media, before any sidecar', async () => {
    const r = await transcribeLocal(
      s3,
      { bucket: 'raw', key: 'calls/support-call.wav' },
      { sttCommand: stt() },
    );
    expect(r).toMatchObject({
      status: 'COMPLETED',
      transcript: {
        text: 'Transcript of support-call.wav (12844 bytes) by Mason Clarke.',
        source: 'stt-command',
      },
    });
  });

  it('takes the command from AUTOGOV_LOCAL_STT', async () => {
    const before = process.env.AUTOGOV_LOCAL_STT;
    process.env.AUTOGOV_LOCAL_STT = stt();
    try {
      const r = await transcribeLocal(s3, { bucket: 'raw', key: 'calls/bare.wav' });
      expect(r).toMatchObject({ status: 'COMPLETED', transcript: { source: 'stt-command' } });
    } finally {
      if (before === undefined) delete process.env.AUTOGOV_LOCAL_STT;
      else process.env.AUTOGOV_LOCAL_STT = before;
    }
  });

  it('fails clearly when the command fails', async () => {
    await expect(
      transcribeLocal(s3, { bucket: 'raw', key: 'calls/bare.wav' }, { sttCommand: stt(' --fail') }),
    ).rejects.toMatchObject({ code: 'failed', message: expect.stringContaining('model not found') });
  });

  it('says extraction is unavailable with no command and no sidecar — never a made-up transcript', async () => {
    const r = await transcribeLocal(s3, { bucket: 'raw', key: 'calls/bare.wav' }, { sttCommand: '' });
    expect(r).toEqual({
      status: 'UNAVAILABLE',
      reason:
        'extraction unavailable locally: no speech-to-text command (set AUTOGOV_LOCAL_STT) and no sidecar transcript (bare.wav.txt, bare.wav.vtt, bare.wav.srt)',
    });
  });
});

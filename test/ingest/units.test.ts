import { join } from 'node:path';
import { PROJECT_ROOT } from '../../src/app/local-lake';
import { loadGovernance } from '../../src/config/load';
import { classifyBytes } from '../../src/extract/classify';
import { rawObjectAccess, readableClassifications } from '../../src/ingest/access';
import { parseObjectRef } from '../../src/ingest/input';
import { planIngestion } from '../../src/ingest/plan';
import { outcomeOf } from '../../src/ingest/recording';
import { ingestionName } from '../../src/ingest/start';
import { rawObjectTags } from '../../src/ingest/tagging';
import { TEST_SETTINGS } from './helpers';

const config = loadGovernance(join(PROJECT_ROOT, 'governance.yml')).config;

const route = (head: Buffer, key: string) => {
  const c = classifyBytes({ head, size: head.length, key });
  return planIngestion(
    'arn:x:execution:m:n',
    { bucket: 'raw', key, size: head.length },
    c,
    config.extraction,
    TEST_SETTINGS,
  );
};

test('a text object over 10 MB is recorded as too large, never read whole into the Lambda', () => {
  const c = classifyBytes({ head: Buffer.from('hello world\n'), size: 10 * 1024 * 1024 + 1, key: 'big.txt' });
  expect(c).toMatchObject({
    kind: 'unsupported',
    detectedKind: 'text',
    reason: expect.stringContaining('at most 10 MB'),
  });
  const plan = planIngestion(
    'arn:x:execution:m:n',
    { bucket: 'raw', key: 'big.txt', size: c.size },
    c,
    config.extraction,
    TEST_SETTINGS,
  );
  expect(plan).toMatchObject({ route: 'unsupported', status: 'too_large' });
  expect(
    classifyBytes({ head: Buffer.from('hello world\n'), size: 10 * 1024 * 1024, key: 'ok.txt' }).kind,
  ).toBe('text');
});

test('Transcribe jobs are polled long enough for the 4 hours of audio it accepts; Textract as configured', () => {
  const audio = route(Buffer.from('ID3\u0003\u0000'), 'a.mp3');
  expect(audio.poll.intervalSeconds * audio.poll.maxPolls).toBeGreaterThanOrEqual(4 * 3600);
  expect(route(Buffer.from('%PDF-1.7\n'), 'a.pdf').poll).toEqual({ intervalSeconds: 10, maxPolls: 90 });
});

test.each([
  [Buffer.from('%PDF-1.7\n'), 'a.pdf', 'textract'],
  [Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]), 'a.png', 'textract'],
  [Buffer.from([0xff, 0xd8, 0xff, 0xe0]), 'a.jpg', 'textract'],
  [Buffer.from('ID3\u0003\u0000'), 'a.mp3', 'transcribe'],
  [Buffer.from('fLaC\u0000\u0000\u0000\u0022'), 'a.flac', 'transcribe'],
  [Buffer.from('hello world\n'), 'a.txt', 'text'],
  [Buffer.from('# title\n'), 'a.md', 'text'],
  [Buffer.from('{"a":1}\n'), 'a.json', 'text'],
  [Buffer.from('<html><body>x</body></html>'), 'a.html', 'text'],
  [Buffer.from([0, 1, 2, 3, 0, 0, 0xff, 0xfe, 0]), 'a.bin', 'unsupported'],
  [Buffer.alloc(0), 'a.txt', 'unsupported'],
])('routing: %s as %s → %s', (head, key, expected) => {
  const plan = route(head, key);
  expect(plan.route).toBe(expected);
  if (expected === 'transcribe')
    expect(plan.transcribe).toMatchObject({ MaxSpeakerLabels: 10, identifyPii: false });
  if (expected === 'textract') expect(plan.textract?.ClientRequestToken).toMatch(/^[a-f0-9]{24}$/);
});

test('empty objects are recorded as empty, unknown ones as unsupported', () => {
  expect(route(Buffer.alloc(0), 'x.txt')).toMatchObject({ route: 'unsupported', status: 'empty' });
  expect(route(Buffer.from([0, 1, 2, 0]), 'x.bin')).toMatchObject({
    route: 'unsupported',
    status: 'unsupported',
  });
});

test('raw object tags fail closed: public only when analysed in full (or empty) and free of sensitive PII', () => {
  const t = config.tags;
  const sensitive = config.extraction.sensitiveEntityTypes;
  expect(rawObjectTags('processed', ['EMAIL', 'NAME'], sensitive, t)).toEqual({
    classification: 'sensitive',
    pii: 'EMAIL+NAME',
  });
  expect(rawObjectTags('processed', ['DATE_TIME'], sensitive, t)).toEqual({
    classification: 'public',
    pii: 'DATE_TIME',
  });
  expect(rawObjectTags('processed', [], sensitive, t)).toEqual({ classification: 'public', pii: 'NONE' });
  expect(rawObjectTags('empty', [], sensitive, t)).toEqual({ classification: 'public', pii: 'NONE' });
  for (const s of ['unsupported', 'corrupt', 'unsupported_language', 'timed_out', 'failed'] as const)
    expect(rawObjectTags(s, [], sensitive, t)).toEqual({ classification: 'sensitive', pii: 'UNKNOWN' });
});

test('access points: a persona reads classification C when a grant allows C for the column key', () => {
  const p = config.personas;
  expect(readableClassifications(p.category1!, config)).toEqual(['sensitive', 'public']);
  expect(readableClassifications(p.category2!, config)).toEqual(['public']);
  expect(readableClassifications(p.category3!, config)).toEqual(['public']);
  // A grant that does not name the column key allows both, as an LF-Tag expression would.
  expect(readableClassifications({ grants: [{ tbl_class: ['public'] }] }, config)).toEqual([
    'sensitive',
    'public',
  ]);
  const tagged = [{ Key: 'autogov:classification', Value: 'sensitive' }];
  expect(rawObjectAccess('category2', p.category2!, config, tagged).allowed).toBe(false);
  expect(rawObjectAccess('category1', p.category1!, config, tagged).allowed).toBe(true);
  expect(rawObjectAccess('category1', p.category1!, config, []).allowed).toBe(false);
});

test('one execution name per bucket/key/content, whatever the version or the event delivery', () => {
  expect(ingestionName('b', 'k.pdf', 'e1')).toBe(ingestionName('b', 'k.pdf', 'e1'));
  expect(ingestionName('b', 'k.pdf', 'e1')).not.toBe(ingestionName('b', 'k.pdf', 'e2'));
  expect(ingestionName('b', 'a b/ü 📄.pdf', 'e')).toMatch(/^[A-Za-z0-9_-]{1,80}$/);
});

test('S3 events and console input name the object; event keys are URL-decoded', () => {
  const event = {
    source: 'aws.s3',
    'detail-type': 'Object Created',
    detail: { bucket: { name: 'raw' }, object: { key: 'a+b%C3%A9.txt', 'version-id': 'v', etag: 'e' } },
  };
  expect(parseObjectRef(event)).toEqual({ bucket: 'raw', key: 'a bé.txt', versionId: 'v', etag: 'e' });
  expect(parseObjectRef({ bucket: 'raw', key: 'x.pdf' })).toEqual({ bucket: 'raw', key: 'x.pdf' });
  expect(() => parseObjectRef({ key: 'x' })).toThrow(/bucket/);
});

test('outcomes: service verdicts map to statuses; an unknown crash is failed', () => {
  const base = { plan: { route: 'textract', poll: { intervalSeconds: 10, maxPolls: 3 } } } as never;
  expect(
    outcomeOf({
      ...(base as object),
      poll: { result: { JobStatus: 'FAILED', StatusMessage: 'the PDF is encrypted' } },
    }),
  ).toMatchObject({ status: 'encrypted' });
  expect(
    outcomeOf({ ...(base as object), timedOut: { service: 'Textract' }, poll: { count: 3 } }),
  ).toMatchObject({
    status: 'timed_out',
    reason: 'Textract job still in progress after 3 polls (30 s)',
  });
  expect(
    outcomeOf({ failure: { Error: 'ExtractionError.corrupt', Cause: '{"errorMessage":"bad docx"}' } }),
  ).toEqual({ status: 'corrupt', reason: 'bad docx' });
  expect(outcomeOf({ failure: { Error: 'TypeError', Cause: 'boom' } })).toEqual({
    status: 'failed',
    reason: 'TypeError: boom',
  });
});

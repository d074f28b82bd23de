// `autogov access ARG --as P` in-process: telling a table (DB.TABLE) from a raw key (`notes.txt` is
// DB.TABLE-shaped) and answering must open the lake once, for reading only (never the Step Functions stack).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ingestDocument } from '../../src/app/documents';
import { LakeReader } from '../../src/app/lake-reader';
import { LocalLake, PROJECT_ROOT } from '../../src/app/local-lake';
import { cliRun } from '../../src/cli/io';
import { createProgram } from '../../src/cli/program';
import { SAMPLES } from './helpers';

jest.setTimeout(120_000);

const dir = mkdtempSync(join(tmpdir(), 'access-cmd-'));
const governance = join(PROJECT_ROOT, 'governance.yml');

beforeAll(async () => {
  const lake = await LocalLake.open({ lake: dir, governance });
  try {
    await ingestDocument(lake, join(SAMPLES, 'quarterly-notes.txt'), 'notes.txt');
  } finally {
    await lake.close();
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => jest.restoreAllMocks());

/**
 * Runs `autogov --json ...args` in this process; returns the parsed JSON, how often the lake was
 * opened for reading, and how often the whole local stack (runner, jobs) was opened.
 */
async function run(...args: string[]): Promise<{ out: unknown; opens: number; stackOpens: number }> {
  const open = jest.spyOn(LakeReader, 'open');
  const stackOpen = jest.spyOn(LocalLake, 'open');
  let written = '';
  const program = createProgram(
    cliRun({
      stdout: { write: (text: string) => (written += text) },
      stderr: process.stderr,
      stdin: () => process.stdin,
      cwd: process.cwd(),
      env: process.env,
    }),
  );
  await program.parseAsync(['--lake', dir, '--governance', governance, '--json', ...args], { from: 'user' });
  return { out: JSON.parse(written), opens: open.mock.calls.length, stackOpens: stackOpen.mock.calls.length };
}

test('a DB.TABLE-shaped raw key is answered as the raw object, on one open lake', async () => {
  const { out, opens, stackOpens } = await run('access', 'notes.txt', '--as', 'category3');
  expect(out).toMatchObject({ persona: 'category3', allowed: true, classification: 'public' });
  expect([opens, stackOpens]).toEqual([1, 0]);
});

test('a table is answered as a table, on one open lake', async () => {
  const { out, opens, stackOpens } = await run(
    'access',
    'autogov_documents.documents_metadata',
    '--as',
    'category1',
  );
  expect(Object.keys(out as object)).toEqual(['category1']);
  expect([opens, stackOpens]).toEqual([1, 0]);
});

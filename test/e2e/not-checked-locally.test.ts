import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { autogovInProcess, type CliResult, ROOT } from '../support/cli';

const SEED = join(ROOT, 'samples/seed');
const TABLE = 'oktank_autogov_temp.customer';

describe('configured entity types with no local detector', () => {
  const dir = mkdtempSync(join(tmpdir(), 'unchecked-'));
  const lake = join(dir, 'lake');
  const governance = join(dir, 'governance.yml');
  // Ruleset paths are relative to governance.yml.
  cpSync(join(ROOT, 'dqdl'), join(dir, 'dqdl'), { recursive: true });
  writeFileSync(
    governance,
    readFileSync(join(ROOT, 'governance.yml'), 'utf8').replace(
      'entityTypes: [PERSON_NAME, EMAIL]',
      'entityTypes: [PERSON_NAME, EMAIL, USA_ITIN, UK_NATIONAL_INSURANCE_NUMBER]',
    ),
  );
  const cli = (...args: string[]) => autogovInProcess(lake, '--governance', governance, ...args);
  let ingest: CliResult;

  beforeAll(async () => {
    expect((await cli('ingest', join(SEED, 'base.csv'), '--table', 'oktank_autogov_temp.base')).code).toBe(0);
    ingest = await cli('ingest', join(SEED, 'customer_v0.csv'), '--table', TABLE);
  });

  test('ingest governs the table and says, in one line, which types it could not check', () => {
    expect(ingest.code).toBe(0);
    expect(ingest.stdout).toContain(`governed:`);
    const notes = ingest.stderr.split('\n').filter((l) => l.includes('not checked locally'));
    expect(notes).toEqual([
      expect.stringMatching(
        /^autogov: not checked locally: USA_ITIN, UK_NATIONAL_INSURANCE_NUMBER — .*every column is treated as sensitive \(fail closed\)/,
      ),
    ]);
  });

  test('every column is sensitive, since those types are not proven absent', async () => {
    const e = JSON.parse((await cli('explain', TABLE, '--json')).stdout);
    expect(e.notCheckedLocally).toEqual(['USA_ITIN', 'UK_NATIONAL_INSURANCE_NUMBER']);
    const classes = Object.values(e.columns as Record<string, { tags: Record<string, string> }>).map(
      (c) => c.tags.col_class,
    );
    expect(classes.length).toBeGreaterThan(3);
    expect(new Set(classes)).toEqual(new Set(['sensitive']));
  });

  test('explain lists them under the table', async () => {
    const r = await cli('explain', TABLE);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')).toContain(
      "not checked locally: USA_ITIN, UK_NATIONAL_INSURANCE_NUMBER — no local detector, so every column is treated as sensitive (fail closed); Glue's classify_columns checks them in the cloud",
    );
  });
});

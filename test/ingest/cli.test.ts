// Raw objects through the CLI: ingest, documents, show, access and query of the document tables.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { autogovInProcess, ROOT } from '../support/cli';

jest.setTimeout(120_000);

test('ingest FILE, documents --json, show --json, access RAW_KEY --as', async () => {
  const lake = mkdtempSync(join(tmpdir(), 'cli-docs-'));
  const ingest = await autogovInProcess(lake, 'ingest', join(ROOT, 'samples/documents/customer-record.pdf'));
  expect(ingest).toMatchObject({ code: 0, stderr: '' });
  expect(ingest.stdout).toMatch(
    /^processed: customer-record.pdf \(document\/pdf\) → sensitive, PII EMAIL,NAME/m,
  );

  const docs = JSON.parse((await autogovInProcess(lake, '--json', 'documents')).stdout);
  expect(docs).toHaveLength(1);
  expect(docs[0]).toMatchObject({
    raw_key: 'customer-record.pdf',
    status: 'processed',
    classification: 'sensitive',
  });

  const shown = JSON.parse((await autogovInProcess(lake, '--json', 'show', 'customer-record.pdf')).stdout);
  expect(shown.piiEntities.map((e: { Text: string }) => e.Text)).toEqual(
    expect.arrayContaining(['Olivia Bennett', 'olivia.bennett@example.com']),
  );

  const denied = JSON.parse(
    (await autogovInProcess(lake, '--json', 'access', 'customer-record.pdf', '--as', 'category3')).stdout,
  );
  expect(denied).toMatchObject({ persona: 'category3', allowed: false, classification: 'sensitive' });
  const allowed = await autogovInProcess(lake, 'access', 'customer-record.pdf', '--as', 'category1');
  expect(allowed.stdout).toMatch(/category1\s*│\s*yes/);

  // The document tables are queryable like any table, under the same grants.
  const metadata = JSON.parse(
    (
      await autogovInProcess(
        lake,
        '--json',
        'query',
        '--as',
        'category2',
        'SELECT raw_key, status FROM autogov_documents.documents_metadata',
      )
    ).stdout,
  );
  expect(metadata.rows).toEqual([{ raw_key: 'customer-record.pdf', status: 'processed' }]);
  const hiddenText = await autogovInProcess(
    lake,
    'query',
    '--as',
    'category2',
    'SELECT text FROM autogov_documents.extracted_text',
  );
  expect(hiddenText.stderr).toMatch(/category2 may not see column text of autogov_documents\.extracted_text/);

  const missing = await autogovInProcess(lake, 'show', 'nope.pdf');
  expect(missing.code).not.toBe(0);
  expect(missing.stderr).toMatch(/nope.pdf: not ingested/);
});

// A burst of uploads must not start a Glue run per upload and document table (two per upload before):
// ingestions recorded in the same window share one govern-table execution per documents table.
import { executionsStartedBy } from '../../src/app/local-lake';
import { governWindow } from '../../src/ingest/recording';
import { DOCUMENT_TABLE_COLUMNS } from '../../src/ingest/tables';
import { LOCAL_DOCUMENTS_DATABASE } from '../../src/local/catalog';
import { readTableTags } from '../../src/policy/apply';
import { openDocumentLake } from './helpers';

jest.setTimeout(600_000);

// Uploads in the burst: a run per upload (BURST per documents table) could never pass for the at most two
// windows asserted below.
const BURST = 6;

describe('document-table governance is debounced', () => {
  test(`${BURST} text uploads at once → at most one run per documents table and window, none failed`, async () => {
    const lake = await openDocumentLake();
    try {
      const { s3, settings } = lake.services;
      // The cloud's setting (serverless.yml: 300 s); a day here, so however slowly this machine
      // ingests, the burst spans at most two windows.
      settings.documentsGovernWindowSeconds = 86_400;
      const executions = await executionsStartedBy(lake.services, async () => {
        await Promise.all(
          Array.from({ length: BURST }, (_, i) =>
            s3.putObject({
              Bucket: settings.rawBucket,
              Key: `burst/note-${i}.txt`,
              Body: `Note ${i}: call Olivia Bennett on 555-0100 or at olivia.bennett@example.com.`,
            }),
          ),
        );
      });
      const ingestions = executions.filter((e) => !e.name.startsWith('docs-'));
      const governance = executions.filter((e) => e.name.startsWith('docs-'));
      expect(ingestions).toHaveLength(BURST);
      expect(executions.filter((e) => e.status !== 'SUCCEEDED')).toEqual([]);
      for (const table of ['extracted_text', 'documents_metadata']) {
        const runs = governance.filter((e) => e.name.startsWith(`docs-${table}-`));
        expect({ table, runs: runs.length >= 1 && runs.length <= 2 }).toEqual({ table, runs: true });
        const tags = await readTableTags(lake.services.lakeFormation, LOCAL_DOCUMENTS_DATABASE, table);
        expect(Object.keys(tags.table)).toEqual(expect.arrayContaining(['tbl_class', 'dq_tag']));
        // Governing a document table leaves the stack's definition of it alone.
        const { Table } = await lake.services.glue.getTable({
          DatabaseName: LOCAL_DOCUMENTS_DATABASE,
          Name: table,
        });
        expect(Table?.StorageDescriptor?.Columns).toEqual(
          DOCUMENT_TABLE_COLUMNS[table as keyof typeof DOCUMENT_TABLE_COLUMNS],
        );
      }
    } finally {
      await lake.close();
    }
  });

  test('every ingestion of a window names the same execution, which waits until the window has ended', () => {
    const at = (iso: string) => governWindow(300, new Date(iso));
    expect(at('2026-12-01T10:00:00.000Z')).toEqual(at('2026-12-01T10:04:59.999Z'));
    expect(at('2026-12-01T10:04:59.999Z')?.end).toBe('2026-12-01T10:05:00.000Z');
    expect(at('2026-12-01T10:05:00.000Z')?.id).not.toBe(at('2026-12-01T10:04:59.999Z')?.id);
    // Local (no window): each ingestion governs the document tables itself.
    expect(governWindow(undefined, new Date())).toBeUndefined();
    expect(governWindow(0, new Date())).toBeUndefined();
  });
});

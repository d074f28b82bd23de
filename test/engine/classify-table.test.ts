import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { createTableView } from '../../src/data/source';
import { classifyTable, type PiiOptions } from '../../src/engine/classify-table';
import { findingsSchema } from '../../src/findings/schema';

/**
 * A 40,000-row table: a column of e-mails, one of order notes without any, and one where e-mails
 * sit right at the 10 % threshold — the column no sample short of the whole can settle.
 */
describe('classifying a large table stops each column once its verdict is settled', () => {
  let connection: DuckDBConnection;
  let columns: Awaited<ReturnType<typeof createTableView>>;
  const opts: PiiOptions = { entityTypes: ['EMAIL'], sampleFraction: 1, thresholdFraction: 0.1 };

  beforeAll(async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'classify-table-')), 'orders.parquet');
    connection = await (await DuckDBInstance.create(':memory:')).connect();
    await connection.run(`COPY (
      SELECT i AS id,
        'user' || i::VARCHAR || '@example.com' AS email,
        'order ' || i::VARCHAR || ' shipped' AS note,
        CASE WHEN i % 10 = 0 THEN 'mail c' || i::VARCHAR || '@example.org' ELSE 'ticket ' || i::VARCHAR END AS edge
      FROM range(40000) t(i)) TO '${file}' (FORMAT parquet)`);
    columns = await createTableView(connection, 'orders', [file]);
  });

  const classify = (o: Partial<PiiOptions> = {}) =>
    classifyTable(connection, 'orders', columns, { ...opts, ...o });
  const verdicts = (r: Awaited<ReturnType<typeof classify>>) =>
    Object.fromEntries(Object.entries(r.columns).map(([c, es]) => [c, es.map((e) => e.entityType)]));

  test('the verdicts are those of the exact fraction; the settled column says it stopped early', async () => {
    const exact = await classify();
    const early = await classify({ earlyStopErrorBound: 1e-6 });
    expect(verdicts(early)).toEqual(verdicts(exact));
    expect(verdicts(early)).toEqual({ email: ['EMAIL'], edge: ['EMAIL'] });
    expect(exact.columns.email?.[0]?.evidence).toMatchObject({ sampledCells: 40000, matchedCells: 40000 });
    expect(exact.columns.email?.[0]?.evidence.stoppedEarly).toBeUndefined();
    const email = early.columns.email?.[0]?.evidence;
    expect(email?.stoppedEarly).toEqual({ errorBound: 1e-6 });
    expect(email?.sampledCells).toBeLessThan(1000);
  });

  test('the column at the threshold is read whole: the exact fraction, not an estimate', async () => {
    const exact = await classify();
    const early = await classify({ earlyStopErrorBound: 1e-6 });
    expect(early.columns.edge).toEqual(exact.columns.edge);
    expect(early.columns.edge?.[0]).toMatchObject({ fraction: 0.1, evidence: { sampledCells: 40000 } });
  });

  test('the same data gives the same findings run after run, valid against the contract', async () => {
    const a = await classify({ earlyStopErrorBound: 1e-6, sampleFraction: 0.5 });
    const b = await classify({ earlyStopErrorBound: 1e-6, sampleFraction: 0.5 });
    expect(b).toEqual(a);
    const doc = findingsSchema.shape.sensitiveData.parse(a);
    expect(doc.columnsScanned).toEqual(['id', 'email', 'note', 'edge']);
  });
});

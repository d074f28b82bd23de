import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { possibleEntityTypes } from '../../src/engine/classify-table';
import { evaluateTable, type TableEvaluation } from '../../src/engine/evaluate-table';
import { findingsSchema } from '../../src/findings/schema';

const dir = mkdtempSync(join(tmpdir(), 'engine-'));
const csv = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

async function evaluate(over: Partial<TableEvaluation> & Pick<TableEvaluation, 'primary'>) {
  const db = await DuckDBInstance.create(':memory:');
  return evaluateTable(await db.connect(), {
    database: 'db',
    table: 't',
    runId: 'r1',
    references: {},
    ruleset: { text: 'Rules = [ RowCount > 0 ]', label: 'test.dqdl' },
    pii: { entityTypes: ['EMAIL', 'PERSON_NAME'], sampleFraction: 1, thresholdFraction: 0.1 },
    ...over,
  });
}

describe('evaluating a table locally', () => {
  const people = csv(
    'people.csv',
    'id,contact,city,note\n1,ann@example.com,Seattle,\n2,bob@example.org,Paris,\n3,n/a,Denver,\n',
  );

  test('the findings document validates against the contract, with every column scanned', async () => {
    const { findings } = await evaluate({ primary: { label: 'db.t', files: [people] } });
    expect(findingsSchema.parse(findings)).toEqual(findings);
    expect(findings.rowCount).toBe(3);
    expect(findings.sensitiveData.columnsScanned).toEqual(['id', 'contact', 'city', 'note']);
    expect(findings.sensitiveData.columns).toEqual({
      contact: [
        {
          entityType: 'EMAIL',
          fraction: 2 / 3,
          evidence: {
            detectors: ['email-regex'],
            matchedCells: 2,
            sampledCells: 3,
            threshold: 0.1,
            examples: ['a**@e******.com', 'b**@e******.org'],
          },
        },
      ],
    });
    expect(findings.dataQuality.score).toBe(1);
  });

  test('a metric with no finite value (the mean of an empty column) is left out, not written as null', async () => {
    const { findings } = await evaluate({
      primary: { label: 'db.t', files: [people] },
      ruleset: { text: 'Rules = [ Mean "note" > 0, RowCount > 0 ]', label: 'test.dqdl' },
    });
    expect(findingsSchema.safeParse(JSON.parse(JSON.stringify(findings))).success).toBe(true);
    expect(findings.dataQuality.score).toBe(0.5);
  });

  test('a rule naming a missing column is an ERROR counted in the score; the run goes on', async () => {
    const { findings } = await evaluate({
      primary: { label: 'db.t', files: [people] },
      ruleset: { text: 'Rules = [ IsComplete "nope", RowCount > 0 ]', label: 'test.dqdl' },
    });
    expect(findings.dataQuality.rules[0]).toMatchObject({ outcome: 'ERROR' });
    expect(findings.dataQuality.score).toBe(0.5);
  });

  test('fail closed: an entity type the local engine cannot detect marks every column as failed', async () => {
    const { findings } = await evaluate({
      primary: { label: 'db.t', files: [people] },
      pii: { entityTypes: ['EMAIL', 'JAPAN_MY_NUMBER'], sampleFraction: 1, thresholdFraction: 0.1 },
    });
    expect(findings.sensitiveData.columnsScanned).toEqual([]);
    expect(findings.sensitiveData.columnsFailed.map((f) => f.column)).toEqual([
      'id',
      'contact',
      'city',
      'note',
    ]);
    expect(findings.sensitiveData.columnsFailed[0]!.reason).toMatch(
      /JAPAN_MY_NUMBER cannot be detected locally/,
    );
  });

  test('a ruleset that does not parse fails the run with file, line and column', async () => {
    await expect(
      evaluate({
        primary: { label: 'db.t', files: [people] },
        ruleset: { text: 'Rules = [\n  RowCnt > 0\n]', label: 'dqdl/t.dqdl' },
      }),
    ).rejects.toThrow(/^dqdl\/t\.dqdl:2:3: .*RowCnt/);
  });

  test('sampling is deterministic: the same data samples the same rows', async () => {
    const rows = Array.from({ length: 2000 }, (_, i) => `${i},${i % 3 ? 'x' : `u${i}@example.com`}`).join(
      '\n',
    );
    const big = csv('big.csv', `id,contact\n${rows}\n`);
    const pii = { entityTypes: ['EMAIL'], sampleFraction: 0.1, thresholdFraction: 0.1 };
    const a = await evaluate({ primary: { label: 'db.t', files: [big] }, pii });
    const b = await evaluate({ primary: { label: 'db.t', files: [big] }, pii });
    const fraction = a.findings.sensitiveData.columns.contact?.[0]?.fraction;
    expect(fraction).toBeGreaterThan(0.2);
    expect(fraction).toBeLessThan(0.45);
    expect(b.findings.sensitiveData.columns.contact?.[0]?.fraction).toBe(fraction);
  });

  test('columns are only searched for entity types their SQL type can hold', async () => {
    expect(possibleEntityTypes('DATE', ['EMAIL', 'USA_SSN'])).toEqual([]);
    expect(possibleEntityTypes('BIGINT', ['EMAIL', 'PERSON_NAME', 'USA_SSN', 'CREDIT_CARD'])).toEqual([
      'USA_SSN',
      'CREDIT_CARD',
    ]);
    expect(possibleEntityTypes('VARCHAR', ['EMAIL'])).toEqual(['EMAIL']);
    const typed = csv(
      'typed.csv',
      'card,born,active\n4111111111111111,2001-02-03,true\n5500005555555559,1999-12-31,false\n',
    );
    const { findings } = await evaluate({
      primary: { label: 'db.t', files: [typed] },
      pii: { entityTypes: ['EMAIL', 'CREDIT_CARD'], sampleFraction: 1, thresholdFraction: 0.1 },
    });
    expect(findings.columns.map((c) => c.type)).toEqual(['BIGINT', 'DATE', 'BOOLEAN']);
    expect(findings.sensitiveData.columnsScanned).toEqual(['card', 'born', 'active']);
    // a number column is still searched for digit-only entities
    expect(findings.sensitiveData.columns).toMatchObject({
      card: [{ entityType: 'CREDIT_CARD', fraction: 1 }],
    });
    expect(Object.keys(findings.sensitiveData.columns)).toEqual(['card']);
  });

  test('nested columns are scanned: a Parquet MAP of names is as sensitive as a STRUCT or LIST of them, a MAP of codes is not', async () => {
    const file = join(dir, 'nested.parquet');
    const db = await DuckDBInstance.create(':memory:');
    const c = await db.connect();
    const people = ['Alice Smith', 'Bob Jones', 'Maria Garcia', 'John Miller', 'Emma Wilson', 'James Brown'];
    const rows = people
      .map(
        (n, i) =>
          `(${i}, MAP {'contact': '${n}'}, {'contact': '${n}'}, ['${n}'], {'inner': MAP {'who': '${n}'}}, MAP {'country': 'FR'})`,
      )
      .join(', ');
    await c.run(
      `COPY (SELECT * FROM (VALUES ${rows}) t(id, by_map, by_struct, by_list, map_in_struct, codes)) TO '${file}'`,
    );
    c.closeSync();
    const { findings } = await evaluate({
      primary: { label: 'db.t', files: [file] },
      pii: { entityTypes: ['PERSON_NAME'], sampleFraction: 1, thresholdFraction: 0.1 },
    });
    expect(findings.columns.find((x) => x.name === 'by_map')?.type).toBe('MAP(VARCHAR, VARCHAR)');
    expect(Object.keys(findings.sensitiveData.columns).sort()).toEqual([
      'by_list',
      'by_map',
      'by_struct',
      'map_in_struct',
    ]);
  });

  test('a string column holding JSON (the entities column of extracted_text) is read key by key', async () => {
    const people = ['Alice Smith', 'Bob Jones', 'Maria Garcia', 'John Miller'];
    const lines = people.map((n, i) =>
      JSON.stringify({
        id: i,
        entities: JSON.stringify([{ type: 'PERSON', begin: 0, end: n.length, text: n }]),
        codes: JSON.stringify({ country: 'FR', kind: 'text' }),
      }),
    );
    const file = csv('extracted.jsonl', `${lines.join('\n')}\n`);
    const { findings } = await evaluate({
      primary: { label: 'db.t', files: [file] },
      pii: { entityTypes: ['PERSON_NAME'], sampleFraction: 1, thresholdFraction: 0.1 },
    });
    expect(findings.columns.find((x) => x.name === 'entities')?.type).toBe('VARCHAR');
    expect(Object.keys(findings.sensitiveData.columns)).toEqual(['entities']);
  });
});

import { readFileSync } from 'node:fs';
import { FINDINGS_SCHEMA_PATH, findingsSchemaText } from '../../scripts/export-findings-schema';

describe('schemas/findings.schema.json', () => {
  it('is the current export of the zod findings contract (regenerate: npx tsx scripts/export-findings-schema.ts)', () => {
    expect(readFileSync(FINDINGS_SCHEMA_PATH, 'utf8')).toBe(findingsSchemaText());
  });
});

// Writes schemas/findings.schema.json from the zod findings contract; the Glue job's Python tests
// validate against it. Run after changing src/findings/schema.ts: npx tsx scripts/export-findings-schema.ts
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { findingsJsonSchema } from '../src/findings/schema';

export const FINDINGS_SCHEMA_PATH = join(__dirname, '..', 'schemas', 'findings.schema.json');

/** The committed file's exact text: stable key order from zod, two-space indent, final newline. */
export function findingsSchemaText(): string {
  return `${JSON.stringify(findingsJsonSchema(), null, 2)}\n`;
}

if (require.main === module) {
  writeFileSync(FINDINGS_SCHEMA_PATH, findingsSchemaText());
  console.log(`wrote ${FINDINGS_SCHEMA_PATH}`);
}

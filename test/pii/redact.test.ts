import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { redact } from '../../src/pii/redact';

// Shared with the Glue helpers' python tests, so both engines redact alike.
const cases: [string, string][] = JSON.parse(
  readFileSync(join(__dirname, '../fixtures/redaction.json'), 'utf8'),
);

describe('redacted examples keep the shape of a value, never the value', () => {
  test.each(cases)('%j is shown as %j', (value, shown) => {
    expect(redact(value)).toBe(shown);
  });

  test('no letter of a word but its first, and no digit, survives', () => {
    for (const [value] of cases) {
      const shown = redact(value);
      expect([...shown]).toHaveLength([...value].length);
      expect(shown).not.toMatch(/\d/);
    }
  });
});

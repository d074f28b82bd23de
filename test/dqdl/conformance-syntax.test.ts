// Agreement with the reference DQDL parser (awslabs/dqdl) on every recorded case, and with the
// canonical rule text deequ's DQDL specs record. The data stays in ../shared; it is never copied here.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { lintDqdl } from '../../src/dqdl/lint';

interface SyntaxCase {
  id: string;
  source: string;
  dqdl: string;
  valid: boolean;
  rules?: string[];
  analyzers?: string[];
  error?: string;
}

interface SemanticsCase {
  id: string;
  ruleset: string;
  parsedRules?: string[];
}

const conformanceDir = path.resolve(__dirname, '../../../shared/conformance/dqdl');

const syntaxCases: SyntaxCase[] = readFileSync(path.join(conformanceDir, 'syntax.jsonl'), 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => JSON.parse(line) as SyntaxCase);

const semanticsCases = (
  JSON.parse(readFileSync(path.join(conformanceDir, 'semantics.json'), 'utf8')) as SemanticsCase[]
).filter((c): c is SemanticsCase & { parsedRules: string[] } => Array.isArray(c.parsedRules));

function agrees(c: SyntaxCase): boolean {
  const result = lintDqdl(c.dqdl);
  if (result.valid !== c.valid) return false;
  if (!c.valid) return true;
  const same = (a: string[], b: string[] | undefined) => JSON.stringify(a) === JSON.stringify(b ?? []);
  return same(result.rules, c.rules) && (c.analyzers === undefined || same(result.analyzers, c.analyzers));
}

describe('DQDL syntax conformance with the reference parser', () => {
  test('the whole recorded suite is present', () => {
    expect(syntaxCases).toHaveLength(574);
  });

  test('agreement summary: every verdict and canonical print matches', () => {
    const disagreeing = syntaxCases.filter((c) => !agrees(c)).map((c) => c.id);
    const summary = `${syntaxCases.length - disagreeing.length}/${syntaxCases.length} syntax cases agree`;
    expect({ summary, disagreeing }).toEqual({ summary: '574/574 syntax cases agree', disagreeing: [] });
  });

  test.each(syntaxCases.filter((c) => c.valid).map((c) => [c.id, c] as const))(
    '%s is accepted and printed canonically',
    (_id, c) => {
      const result = lintDqdl(c.dqdl);
      expect(result.errors).toEqual([]);
      expect(result.valid).toBe(true);
      expect(result.rules).toEqual(c.rules);
      if (c.analyzers) expect(result.analyzers).toEqual(c.analyzers);
    },
  );

  test.each(syntaxCases.filter((c) => !c.valid).map((c) => [c.id, c] as const))(
    '%s is rejected',
    (_id, c) => {
      const result = lintDqdl(c.dqdl);
      expect(result.valid).toBe(false);
      expect(result.errors.length).toBeGreaterThan(0);
      for (const e of result.errors) {
        expect(e.line).toBeGreaterThanOrEqual(1);
        expect(e.column).toBeGreaterThanOrEqual(1);
        expect(e.message).not.toBe('');
      }
    },
  );
});

describe('canonical rule text recorded by deequ DQDL specs (semantics.json parsedRules)', () => {
  test.each(semanticsCases.map((c) => [c.id, c] as const))('%s prints as the reference', (_id, c) => {
    const result = lintDqdl(c.ruleset);
    expect(result.errors).toEqual([]);
    expect(result.rules).toEqual(c.parsedRules);
  });
});

describe('canonical text is a fixed point', () => {
  // Re-parsing a canonical rule must print it unchanged. Skipped: rules using $variables (they need their
  // declarations) and escaped quotes, which the reference prints unescaped inside lists (`in ["a"b"]`).
  const printed = syntaxCases
    .filter((c) => c.valid && !c.dqdl.includes('$') && !c.dqdl.includes('\\'))
    .flatMap((c) => (c.rules ?? []).map((rule, i) => [`${c.id}#${i + 1}`, rule] as const));

  test.each(printed)('%s re-parses to the same text', (_id, rule) => {
    const result = lintDqdl(`Rules = [ ${rule} ]`);
    expect(result.errors).toEqual([]);
    expect(result.rules).toEqual([rule]);
  });
});

// `autogov dq lint` output: verdict, positioned problems, canonical rules and analyzers.
import { formatLintProblems, lintDqdl } from '../../src/dqdl/lint';

describe('lintDqdl', () => {
  test('a valid ruleset lists its rules and analyzers in canonical form', () => {
    const result = lintDqdl(
      'Rules = [\n  ColumnValues "country" in [ "US", "CA" ],\n  (IsComplete "id") and (IsUnique "id")\n]\nAnalyzers = [ Completeness of "email" ]',
    );
    expect(result).toEqual({
      valid: true,
      errors: [],
      warnings: [],
      rules: ['ColumnValues "country" in ["US","CA"]', '(IsComplete "id") AND (IsUnique "id")'],
      analyzers: ['Completeness of "email"'],
    });
  });

  test('an invalid ruleset has no rules and compiler-style problem lines', () => {
    const result = lintDqdl('Rules = [\n  Completeness "email" > 0.9 with threshold > 0.5\n]');
    expect(result.valid).toBe(false);
    expect(result.rules).toEqual([]);
    expect(formatLintProblems(result, 'orders.dqdl')).toEqual([
      'orders.dqdl:2:30: error: Threshold condition not supported for rule type: Completeness',
    ]);
  });

  test('a 5000-deep parenthesised rule is one problem at line:column, not a stack overflow', () => {
    const deep = `${'('.repeat(5000)}RowCount > 0${')'.repeat(5000)}`;
    const result = lintDqdl(`Rules = [\n  ${deep}\n]`);
    expect(result.valid).toBe(false);
    expect(formatLintProblems(result, 'deep.dqdl')).toEqual([
      'deep.dqdl:2:103: error: Rule nested more than 100 parentheses deep; flatten the composite',
    ]);
  });

  test('a composite nested 100 deep is still valid', () => {
    const result = lintDqdl(`Rules = [ ${'('.repeat(100)}RowCount > 0${')'.repeat(100)} ]`);
    expect(result.valid).toBe(true);
  });

  test('ignored trailing text is a warning, and the ruleset stays valid', () => {
    const result = lintDqdl('Rules = [ RowCount > 0 ]\n]');
    expect(result.valid).toBe(true);
    expect(formatLintProblems(result)).toEqual([
      "<input>:2:1: warning: Ignored text after the last section, starting at ']'",
    ]);
  });
});

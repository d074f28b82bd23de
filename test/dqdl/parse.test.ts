// What a DQDL author sees: where a mistake is reported and why, and the syntax tree the evaluator gets.
import type { CompositeRule, Rule } from '../../src/dqdl/ast';
import { resolveOverload, ruleTypeSpec } from '../../src/dqdl/catalog';
import { type DqdlError, parseDqdl } from '../../src/dqdl/parse';
import { printAnalyzer, printRule } from '../../src/dqdl/print';

function errorsOf(text: string): DqdlError[] {
  const result = parseDqdl(text);
  if (result.ok) throw new Error(`expected ${JSON.stringify(text)} to be rejected`);
  return result.errors;
}

function firstError(text: string): DqdlError {
  return errorsOf(text)[0]!;
}

function rulesOf(text: string) {
  const result = parseDqdl(text);
  if (!result.ok) throw new Error(`unexpected errors: ${JSON.stringify(result.errors)}`);
  return result.ruleset.rules;
}

function ruleOf(text: string): Rule {
  const rule = rulesOf(`Rules = [ ${text} ]`)[0]!;
  if (rule.kind !== 'rule') throw new Error('expected a simple rule');
  return rule;
}

describe('errors name the line, the column and the problem', () => {
  test('a typo in a rule type names the line and column and suggests the right name', () => {
    expect(firstError('Rules = [\n  IsComplete "id",\n  IsUnqiue "id"\n]')).toEqual({
      line: 3,
      column: 3,
      message: 'Rule Type: IsUnqiue is not valid: unknown rule type (did you mean IsUnique?)',
    });
  });

  test('a wrong number of parameters says how many the rule type takes', () => {
    expect(firstError('Rules = [ ColumnCorrelation "a" > 0.5 ]')).toMatchObject({
      column: 11,
      message: expect.stringContaining('ColumnCorrelation is not valid with 1 parameter (takes 2)'),
    });
  });

  test('a metric rule without a condition says which condition it needs, after the parameters', () => {
    expect(firstError('Rules = [ Completeness "email" ]')).toMatchObject({
      line: 1,
      column: 32,
      message: expect.stringMatching(
        /^Unexpected condition for rule of type Completeness with number return type/,
      ),
    });
  });

  test('a pass/fail rule given a condition points at the condition', () => {
    expect(firstError('Rules = [ IsComplete "email" > 0.9 ]')).toMatchObject({
      column: 30,
      message: expect.stringContaining('IsComplete takes no condition'),
    });
  });

  test('a where clause on a rule type without row filtering points at where', () => {
    expect(firstError('Rules = [ ColumnExists "a" where "b > 1" ]')).toMatchObject({
      column: 28,
      message: 'Where clause is not supported for rule type: ColumnExists',
    });
  });

  test('an empty where predicate is rejected', () => {
    expect(firstError('Rules = [ IsComplete "a" where " " ]').message).toBe(
      'Empty where condition provided for rule type: IsComplete',
    );
  });

  test('a threshold on a rule type without row-level results points at with', () => {
    expect(firstError('Rules = [ Completeness "a" > 0.4 with threshold > 0.5 ]')).toMatchObject({
      column: 34,
      message: 'Threshold condition not supported for rule type: Completeness',
    });
  });

  test('a second threshold is rejected', () => {
    expect(
      firstError('Rules = [ ColumnValues "a" in ["x"] with threshold > 0.5 with threshold < 0.9 ]').message,
    ).toBe('Only one threshold condition at a time is supported.');
  });

  test('other tags only take =', () => {
    expect(firstError('Rules = [ FileSize > 1 KB with timeZone != "UTC" ]').message).toMatch(
      /^String tags only support the equality operator/,
    );
  });

  test('an unparenthesised now() offset explains the fix', () => {
    expect(firstError('Rules = [ ColumnValues "d" > now() - 1 days ]')).toMatchObject({
      column: 36,
      message: expect.stringContaining('write (now() - 3 days)'),
    });
  });

  test('an unknown duration unit lists the valid ones', () => {
    expect(firstError('Rules = [ DataFreshness "d" <= 3 weeks ]')).toMatchObject({
      column: 34,
      message: "Unexpected 'weeks'; expected days, hours or minutes",
    });
  });

  test('an unterminated string is reported where it starts', () => {
    expect(firstError('Rules = [\n  IsComplete "email\n]')).toEqual({
      line: 2,
      column: 14,
      message: 'Unterminated string: missing closing "',
    });
  });

  test('mixing numbers and strings in one list is rejected at the odd item', () => {
    expect(firstError('Rules = [ ColumnValues "a" in [1,"2"] ]')).toMatchObject({ column: 34 });
  });

  test('an analyzer with a condition is rejected at the condition', () => {
    expect(firstError('Analyzers = [ Completeness "a" > 0.5 ]')).toMatchObject({
      column: 32,
      message: expect.stringContaining('analyzers take no condition'),
    });
  });

  test('a pass/fail rule type cannot be an analyzer', () => {
    expect(firstError('Analyzers = [ IsComplete "a" ]').message).toMatch(
      /^Analyzer Type: IsComplete is not supported/,
    );
  });

  test('AllStatistics belongs to Analyzers', () => {
    expect(firstError('Rules = [ AllStatistics "a" ]').message).toMatch(
      /^Analyzer Type: AllStatistics is not supported in rules section/,
    );
  });

  test('an empty ruleset is rejected', () => {
    expect(firstError('Rules = [ ]').message).toMatch(/^No rules or analyzers provided/);
    expect(firstError('# nothing here\n').message).toMatch(/^No rules or analyzers provided/);
  });

  test('section names are case-sensitive, with a hint', () => {
    expect(firstError('rules = [ IsComplete "a" ]')).toEqual({
      line: 1,
      column: 1,
      message: "Unknown section 'rules': section names are case-sensitive, write Rules",
    });
  });

  test('several independent problems are all reported, in source order', () => {
    const errors = errorsOf('Rules = [\n  IsCompleet "a",\n  ColumnExists "b" where "c > 1"\n]');
    expect(errors.map((e) => [e.line, e.column])).toEqual([
      [2, 3],
      [3, 20],
    ]);
  });
});

describe('variables', () => {
  test('a string list variable feeds in $name', () => {
    const result = parseDqdl('codes = ["A1", "B2"]\nRules = [ ColumnValues "code" in $codes ]');
    expect(result.ok && result.ruleset.variables).toEqual({
      codes: {
        kind: 'stringList',
        values: [
          { kind: 'quoted', value: 'A1', raw: 'A1' },
          { kind: 'quoted', value: 'B2', raw: 'B2' },
        ],
      },
    });
    expect(result.ok && result.ruleset.rules[0]).toMatchObject({
      condition: { kind: 'string', op: 'in', list: { variable: 'codes' } },
    });
  });

  test('a string variable can be a parameter', () => {
    const rule = rulesOf('sql = "select count(*) from primary"\nRules = [ CustomSql $sql > 0 ]')[0]!;
    expect(rule).toMatchObject({ parameters: [{ value: 'sql', quoted: false, variable: true }] });
  });

  test('numeric variables are rejected', () => {
    expect(firstError('min = 100\nRules = [ RowCount > $min ]')).toMatchObject({
      line: 1,
      column: 7,
      message: expect.stringContaining("Failed to parse variable 'min'"),
    });
  });

  test('an undefined variable is named', () => {
    expect(firstError('Rules = [ ColumnValues "a" in $nope ]')).toMatchObject({
      column: 32,
      message: 'Variable not found: nope',
    });
  });

  test('a list where a string is needed is a type error', () => {
    expect(firstError('q = ["a"]\nRules = [ CustomSql $q ]').message).toBe(
      "Invalid variable type for 'q': expected STRING, but got STRING_ARRAY",
    );
  });

  test('redefinition, nesting and reserved leading characters are rejected', () => {
    expect(firstError('v = "a"\nv = "b"\nRules = [ RowCount > 0 ]')).toMatchObject({ line: 2, column: 1 });
    expect(firstError('a = "x"\nb = "$a"\nRules = [ RowCount > 0 ]').message).toBe(
      "Nested variables are not supported in variable 'b'",
    );
    expect(firstError('_v = "x"\nRules = [ RowCount > 0 ]').message).toBe(
      "Variable name '_v' cannot start with '.' or '_'",
    );
  });
});

describe('labels', () => {
  test('rule labels and DefaultLabels are kept apart; together at most 10', () => {
    const result = parseDqdl(
      'DefaultLabels = ["team"="dq"]\nRules = [ IsComplete "a" labels=["priority"="high"] ]',
    );
    expect(result.ok && result.ruleset.defaultLabels).toEqual({ team: 'dq' });
    expect(result.ok && result.ruleset.rules[0]!.labels).toEqual({ priority: 'high' });

    const ten = Array.from({ length: 10 }, (_, i) => `"k${i}"="v"`).join(', ');
    expect(firstError(`DefaultLabels = [${ten}]\nRules = [ IsComplete "a" labels=["x"="y"] ]`)).toMatchObject(
      {
        line: 2,
        message: expect.stringMatching(/^Number of labels exceed maximum allowed \(MAX: 10\)/),
      },
    );
  });

  test('labels after a parenthesised composite belong to the composite, not its rules', () => {
    const [rule] = rulesOf('Rules = [ (IsComplete "a" AND IsUnique "a") labels=["id"="1"] ]');
    expect(rule).toMatchObject({ kind: 'composite', labels: { id: '1' } });
    expect((rule as CompositeRule).operands.every((o) => o.labels === undefined)).toBe(true);
  });

  test('empty, duplicate and over-long labels are rejected', () => {
    expect(firstError('Rules = [ IsComplete "a" labels=[] ]').message).toBe(
      'Labels must have at least one label',
    );
    expect(firstError('Rules = [ IsComplete "a" labels=["k"=""] ]').message).toBe(
      'Label key or value cannot be empty',
    );
    expect(firstError('Rules = [ IsComplete "a" labels=["k"="1", "k"="2"] ]').message).toMatch(
      /^Duplicate label key/,
    );
    expect(firstError(`Rules = [ IsComplete "a" labels=["${'k'.repeat(129)}"="v"] ]`).message).toMatch(
      /^Label key has length 129 exceeding the maximum length of 128/,
    );
  });
});

describe('document structure', () => {
  test('Metadata and DataSources are read', () => {
    const result = parseDqdl(
      'Metadata = { "Version": "1.0" }\nDataSources = { "Primary": "orders", "AdditionalDataSources": ["ref"] }\nRules = [ RowCount > 0 ]',
    );
    expect(result.ok && result.ruleset.metadata).toEqual({ Version: '1.0' });
    expect(result.ok && result.ruleset.dataSources).toEqual({ primary: 'orders', additional: ['ref'] });
  });

  test('sections out of order are rejected', () => {
    expect(
      firstError(
        'DataSources = { "Primary": "a" }\nMetadata = { "Version": "1.0" }\nRules = [ RowCount > 0 ]',
      ),
    ).toMatchObject({ line: 2, message: 'The Metadata section must come before DataSources' });
    expect(firstError('Rules = [ RowCount > 0 ]\nMetadata = { "Version": "1.0" }')).toMatchObject({
      line: 2,
      message: 'The Metadata section must come before Rules and Analyzers',
    });
    expect(firstError('Analyzers = [ RowCount ]\nRules = [ RowCount > 0 ]').message).toBe(
      'The Rules section must come before Analyzers',
    );
  });

  test('stray text after the last section is ignored with a warning, as the reference ignores it', () => {
    const result = parseDqdl('Rules = [ RowCount > 0 ] ]');
    expect(result).toMatchObject({
      ok: true,
      warnings: [{ line: 1, column: 26, message: "Ignored text after the last section, starting at ']'" }],
    });
  });

  test('comments and keyword case', () => {
    const rules = rulesOf(
      '# checks\nRules = [\n  Completeness of "a" > 0.5, # inline\n  (IsComplete "a") and (IsUnique "a")\n]',
    );
    expect(rules.map(printRule)).toEqual([
      'Completeness of "a" > 0.5',
      '(IsComplete "a") AND (IsUnique "a")',
    ]);
  });

  test('Analyzers may stand alone', () => {
    const result = parseDqdl('Analyzers = [ RowCount, AllStatistics of AllColumns ]');
    expect(result.ok && result.ruleset.analyzers.map(printAnalyzer)).toEqual([
      'RowCount',
      'AllStatistics of AllColumns',
    ]);
  });
});

describe('composite rules', () => {
  test('AND binds tighter than OR and same-operator chains are flat', () => {
    const [rule] = rulesOf(
      'Rules = [ (RowCount > 0) OR (IsComplete "a") AND (IsUnique "a") OR (ColumnCount > 1) ]',
    );
    expect(printRule(rule!)).toBe(
      '(RowCount > 0) OR ((IsComplete "a") AND (IsUnique "a")) OR (ColumnCount > 1)',
    );
  });

  test('an unparenthesised composite attaches trailing labels to its last rule', () => {
    const [rule] = rulesOf('Rules = [ ColumnValues "x" != NULL AND ColumnLength "x" > 0 labels=["id"="1"] ]');
    expect(rule).toMatchObject({ kind: 'composite', op: 'and' });
    expect((rule as CompositeRule).operands[1]!.labels).toEqual({ id: '1' });
  });

  test('a parameter joined by and is not mistaken for a composite', () => {
    expect(ruleOf('ColumnCorrelation of "a" and "b" > 0.5').parameters).toEqual([
      { value: 'a', quoted: true, raw: 'a', connector: 'of' },
      { value: 'b', quoted: true, raw: 'b', connector: 'and' },
    ]);
  });
});

describe('the syntax tree the evaluator receives', () => {
  test('number conditions keep the written text and the arithmetic', () => {
    expect(ruleOf('RowCount between (0.9 * avg(last(10))) and -5').condition).toEqual({
      kind: 'number',
      op: 'between',
      low: {
        kind: 'paren',
        expr: {
          kind: 'binary',
          op: '*',
          left: { kind: 'number', value: 0.9, text: '0.9' },
          right: {
            kind: 'call',
            name: 'avg',
            args: [{ kind: 'call', name: 'last', args: [{ kind: 'number', value: 10, text: '10' }] }],
          },
        },
      },
      high: { kind: 'number', value: -5, text: '-5' },
    });
  });

  test('multiplication binds tighter than addition', () => {
    expect(ruleOf('RowCount > 1 + 2 * 3').condition).toMatchObject({
      operand: { kind: 'binary', op: '+', right: { kind: 'binary', op: '*' } },
    });
  });

  test('ColumnValues conditions are typed by their operands', () => {
    expect(ruleOf('ColumnValues "a" in [1,2,NULL]').condition).toMatchObject({ kind: 'number', op: 'in' });
    expect(ruleOf('ColumnValues "a" = NULL').condition).toEqual({
      kind: 'string',
      op: '=',
      operand: { kind: 'keyword', value: 'NULL' },
    });
    expect(ruleOf('ColumnValues "a" in ["x",EMPTY]').condition).toMatchObject({ kind: 'string', op: 'in' });
    expect(ruleOf('ColumnValues "a" matches "[a-z]+"').condition).toEqual({
      kind: 'string',
      op: 'matches',
      pattern: '[a-z]+',
      raw: '[a-z]+',
    });
    expect(ruleOf('ColumnValues "d" > (now() - 2 days)').condition).toEqual({
      kind: 'date',
      op: '>',
      operand: { kind: 'now', offset: { sign: '-', amount: 2, unit: 'days' }, parenthesised: true },
    });
    expect(ruleOf('ColumnValues "d" between "2024-01-01" and "9:30 AM"').condition).toEqual({
      kind: 'date',
      op: 'between',
      low: { kind: 'date', value: '2024-01-01' },
      high: { kind: 'time', value: '9:30 AM' },
    });
  });

  test('durations, sizes, where, threshold and tags', () => {
    expect(ruleOf('DataFreshness "d" <= 3 hours where "id > 1"')).toMatchObject({
      condition: { kind: 'duration', op: '<=', operand: { amount: 3, unit: 'hours' } },
      where: 'id > 1',
    });
    expect(ruleOf('DataFreshness "d" > -2 days').condition).toMatchObject({
      operand: { amount: 2, unit: 'days', negative: true },
    });
    expect(printRule(ruleOf('DataFreshness "d" > -2 days'))).toBe('DataFreshness "d" > -2 days');
    expect(ruleOf('FileSize > 2').condition).toEqual({
      kind: 'size',
      op: '>',
      operand: { amount: 2, unit: 'B' },
    });
    expect(
      ruleOf('FileFreshness > "21:45" with timeZone = "America/New_York" with recentFiles = 2'),
    ).toMatchObject({
      condition: { kind: 'date', operand: { kind: 'time', value: '21:45' } },
      tags: {
        timeZone: { kind: 'string', value: 'America/New_York' },
        recentFiles: { kind: 'number', value: 2 },
      },
    });
    expect(ruleOf('ColumnDataType "a" = "INTEGER" with threshold > 0.9').threshold).toEqual({
      kind: 'number',
      op: '>',
      operand: { kind: 'number', value: 0.9, text: '0.9' },
    });
  });

  test('escapes are resolved in values and kept as written for printing', () => {
    const rule = ruleOf('IsPrimaryKey "col\\"B"');
    expect(rule.parameters[0]).toEqual({ value: 'col"B', quoted: true, raw: 'col\\"B' });
    expect(printRule(rule)).toBe('IsPrimaryKey "col\\"B"');
  });

  test('CustomSql takes an optional condition', () => {
    expect(ruleOf('CustomSql "select id from primary"').condition).toBeUndefined();
    expect(ruleOf('CustomSql "select count(*) from primary" between 1 and 9').condition).toMatchObject({
      op: 'between',
    });
  });
});

describe('rule-type catalogue', () => {
  test('overloads resolve by parameter count', () => {
    const fileMatch = ruleTypeSpec('FileMatch')!;
    expect(resolveOverload(fileMatch, 1)?.returns).toEqual(['STRING']);
    expect(resolveOverload(fileMatch, 2)?.returns).toEqual(['BOOLEAN']);
    expect(resolveOverload(fileMatch, 3)).toBeUndefined();
    expect(resolveOverload(ruleTypeSpec('IsPrimaryKey')!, 5)).toBeDefined();
    expect(resolveOverload(ruleTypeSpec('DatasetMatch')!, 3)?.parameters).toEqual([
      'referenceAlias',
      'keyMap',
      'matchMap',
    ]);
  });

  test('flags follow the reference rules-config', () => {
    expect(ruleTypeSpec('ColumnValues')).toMatchObject({ whereSupported: true, thresholdSupported: true });
    expect(ruleTypeSpec('CustomSql')).toMatchObject({ whereSupported: false, thresholdSupported: true });
    expect(ruleTypeSpec('AllStatistics')).toMatchObject({ ruleSupported: false, analyzerSupported: true });
    expect(ruleTypeSpec('IsComplete')).toMatchObject({ analyzerSupported: false });
    expect(ruleTypeSpec('Completeness')?.excludedAtRowLevelInComposites).toBe(true);
    expect(ruleTypeSpec('completeness')).toBeUndefined();
  });
});

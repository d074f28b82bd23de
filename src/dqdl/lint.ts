// `autogov dq lint`: verdict, positioned problems and the canonical text of each rule and analyzer.

import { type DqdlError, parseDqdl } from './parse';
import { printAnalyzer, printRule } from './print';

export interface LintResult {
  valid: boolean;
  errors: DqdlError[];
  /** problems that do not invalidate the ruleset (e.g. ignored trailing text) */
  warnings: DqdlError[];
  /** canonical text of each rule, in order (empty when invalid) */
  rules: string[];
  /** canonical text of each analyzer, in order (empty when invalid) */
  analyzers: string[];
}

export function lintDqdl(text: string): LintResult {
  const result = parseDqdl(text);
  if (!result.ok) return { valid: false, errors: result.errors, warnings: [], rules: [], analyzers: [] };
  return {
    valid: true,
    errors: [],
    warnings: result.warnings,
    rules: result.ruleset.rules.map(printRule),
    analyzers: result.ruleset.analyzers.map(printAnalyzer),
  };
}

/** One line per problem, `line:column: message`, as compilers print them. */
export function formatLintProblems(result: LintResult, file = '<input>'): string[] {
  return [
    ...result.errors.map((e) => `${file}:${e.line}:${e.column}: error: ${e.message}`),
    ...result.warnings.map((e) => `${file}:${e.line}:${e.column}: warning: ${e.message}`),
  ];
}

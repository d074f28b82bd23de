// Catalogue and declaration checks made while parsing: rule and analyzer types and their parameter
// counts, where and threshold support, and variable references. Each problem is recorded as an error
// and parsing goes on.

import type { Parameter, Rule, VariableValue } from './ast';
import { type Overload, resolveOverload, ruleTypeSpec, suggestRuleType } from './catalog';
import type { Token } from './lexer';
import { TokenCursor } from './parse-cursor';

export interface VariableInfo {
  value: VariableValue;
}

export abstract class CatalogueValidator extends TokenCursor {
  protected readonly variables = new Map<string, VariableInfo>();

  /** Validates the rule type against the catalogue; the overload decides the condition grammar. */
  protected resolveType(
    typeTok: Token,
    parameters: Parameter[],
    where: 'rule' | 'analyzer',
  ): Overload | undefined {
    const type = typeTok.text;
    const label = where === 'rule' ? 'Rule Type' : 'Analyzer Type';
    const spec = ruleTypeSpec(type);
    if (!spec) {
      const suggestion = suggestRuleType(type);
      this.error(
        typeTok,
        `${label}: ${type} is not valid: unknown ${where} type${suggestion ? ` (did you mean ${suggestion}?)` : ''}`,
      );
      return undefined;
    }
    if (where === 'rule' && !spec.ruleSupported) {
      this.error(
        typeTok,
        `Analyzer Type: ${type} is not supported in rules section: use it under Analyzers = [ ... ]`,
      );
      return undefined;
    }
    const overload = resolveOverload(spec, parameters.length);
    if (!overload) {
      const counts = spec.overloads.map((o) =>
        o.maxParams === Number.POSITIVE_INFINITY ? `${o.minParams} or more` : String(o.minParams),
      );
      this.error(
        typeTok,
        `${label}: ${type} is not valid with ${parameters.length} parameter${parameters.length === 1 ? '' : 's'} (takes ${counts.join(' or ')})`,
      );
      return undefined;
    }
    if (where === 'analyzer' && overload.returns.every((r) => r === 'BOOLEAN')) {
      this.error(
        typeTok,
        `Analyzer Type: ${type} is not supported: it is a pass/fail rule with no metric to analyze`,
      );
    }
    return overload;
  }

  protected checkVariable(nameTok: Token, kind: 'string' | 'stringList'): VariableInfo | undefined {
    const info = this.variables.get(nameTok.text);
    if (!info) {
      this.error(nameTok, `Variable not found: ${nameTok.text}`);
      return undefined;
    }
    if (info.value.kind !== kind) {
      const expected = kind === 'string' ? 'STRING' : 'STRING_ARRAY';
      const got = info.value.kind === 'string' ? 'STRING' : 'STRING_ARRAY';
      this.error(
        nameTok,
        `Invalid variable type for '${nameTok.text}': expected ${expected}, but got ${got}`,
      );
    }
    return info;
  }

  /** A where clause needs a rule type that supports it, and a predicate. */
  protected checkWhere(type: string, whereTok: Token, predicate: Token): void {
    const spec = ruleTypeSpec(type);
    if (spec && !spec.whereSupported) {
      this.error(whereTok, `Where clause is not supported for rule type: ${type}`);
    } else if (predicate.value!.trim() === '') {
      this.error(predicate, `Empty where condition provided for rule type: ${type}`);
    }
  }

  /** One threshold per rule, on a rule type that supports it. */
  protected checkThreshold(rule: Rule, withTok: Token): void {
    const spec = ruleTypeSpec(rule.type);
    if (rule.threshold) this.error(withTok, 'Only one threshold condition at a time is supported.');
    else if (spec && !spec.thresholdSupported) {
      this.error(withTok, `Threshold condition not supported for rule type: ${rule.type}`);
    }
  }
}

// Rule types beyond the table scan: Minimum/Maximum (analyzer building blocks), DetectAnomalies
// (history) and File* rules (FileSet). Filled in by later commits.
import type { Rule } from './ast';
import type { CompiledRule, Env } from './rules';

export const EXTRA_COMPILERS: Record<string, (rule: Rule, env: Env) => Promise<CompiledRule>> = {};

// Completeness and IsComplete: the fraction of (where-)rows with a value.

import { constraintMessage } from '../conditions';
import { count, countNonNull } from '../metrics';
import { column, judge, param, ratio, safe, value, whereSql } from './common';
import type { Compiler } from './types';

export const completeness =
  (isBoolean: boolean): Compiler =>
  async (rule, env) => {
    const name = param(rule, 0, env);
    const c = column(env, name);
    const where = await whereSql(rule, env);
    const total = count(where);
    const nonNull = countNonNull(c.sql, where);
    env.planner.add(total);
    env.planner.add(nonNull);
    const metric = `Column.${name}.Completeness`;
    return {
      rowLevel: { predicate: `(${c.sql} IS NOT NULL)`, where },
      verdict: safe(async (s) => {
        const v = ratio(value(s, nonNull), value(s, total));
        const metrics = { [metric]: v };
        if (isBoolean) {
          return v === 1
            ? { outcome: 'PASS', metrics }
            : { outcome: 'FAIL', message: constraintMessage(v), metrics };
        }
        return judge(env, rule, v, metric, metrics);
      }),
    };
  };

// What the local stack takes from serverless.yml, so functions, EventBridge rules and state machine
// ids are declared once: `functions:` (handlers and their eventBridge patterns) and
// `stepFunctions.stateMachines` (logical ids and definition files).
import { existsSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { CODE_ROOT, PACKAGE_ROOT } from '../paths';
import type { EventPattern } from './events';
import { type IntrinsicResolver, type LambdaRegistry, readYaml, resolveIntrinsics } from './runner';

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Serverless' logical id for a function key: `applyTags` → `ApplyTagsLambdaFunction`. */
export const functionLogicalId = (key: string) =>
  `${key.charAt(0).toUpperCase()}${key.slice(1)}`.replace(/-/g, 'Dash').replace(/_/g, 'Underscore') +
  'LambdaFunction';

export interface ServerlessLocalView {
  /** function key, logical id (and literal `name:`) → handler module path */
  lambdas: LambdaRegistry;
  /** function key, logical id (and literal `name:`) → the `role:` logical id it runs as */
  roles: Record<string, string>;
  /** eventBridge events of functions: pattern (intrinsics resolved later) → function key */
  rules: { name: string; functionKey: string; pattern: unknown }[];
  /** state machine logical id → definition file basename without `.asl.yaml` */
  stateMachineIds: Record<string, string>;
  /** Glue job logical id → its ExecutionProperty.MaxConcurrentRuns (from `resources:`) */
  glueJobConcurrency: Record<string, number>;
}

/** Reads serverless.yml; an absent file gives an empty view (tests inject everything). */
export function readServerless(projectRoot: string, file = 'serverless.yml'): ServerlessLocalView {
  const view: ServerlessLocalView = {
    lambdas: {},
    roles: {},
    rules: [],
    stateMachineIds: {},
    glueJobConcurrency: {},
  };
  const path = join(projectRoot, file);
  if (!existsSync(path)) return view;
  const doc = readYaml(path);
  if (!isObject(doc)) return view;
  const codeRoot = resolve(projectRoot) === PACKAGE_ROOT ? CODE_ROOT : projectRoot;
  const functions = isObject(doc.functions) ? doc.functions : {};
  for (const [key, fn] of Object.entries(functions)) {
    if (!isObject(fn) || typeof fn.handler !== 'string') continue;
    // `functions/apply-tags.handler` → module `<root>/functions/apply-tags` (require finds the .ts, or
    // the compiled .js under dist/ when running from the build).
    const modulePath = resolve(codeRoot, fn.handler.replace(/\.[^./]+$/, ''));
    view.lambdas[key] = modulePath;
    view.lambdas[functionLogicalId(key)] = modulePath;
    if (typeof fn.name === 'string' && !fn.name.includes('${')) view.lambdas[fn.name] = modulePath;
    if (typeof fn.role === 'string') {
      view.roles[key] = fn.role;
      view.roles[functionLogicalId(key)] = fn.role;
      if (typeof fn.name === 'string' && !fn.name.includes('${')) view.roles[fn.name] = fn.role;
    }
    const events = Array.isArray(fn.events) ? fn.events : [];
    events.forEach((ev, i) => {
      if (isObject(ev) && isObject(ev.eventBridge) && isObject(ev.eventBridge.pattern)) {
        view.rules.push({
          name: `${key}-eventBridge-${i + 1}`,
          functionKey: key,
          pattern: ev.eventBridge.pattern,
        });
      }
    });
  }
  const sf =
    isObject(doc.stepFunctions) && isObject(doc.stepFunctions.stateMachines)
      ? doc.stepFunctions.stateMachines
      : {};
  for (const sm of Object.values(sf)) {
    if (!isObject(sm) || typeof sm.id !== 'string' || typeof sm.definition !== 'string') continue;
    const m = /\$\{file\((.+?\.asl\.(?:ya?ml|json))\)\}/.exec(sm.definition);
    if (m) view.stateMachineIds[sm.id] = basename(m[1]!).replace(/\.asl\.(ya?ml|json)$/, '');
  }
  // `resources:` is a list of fragments (or one), each with `Resources`.
  const fragments = Array.isArray(doc.resources) ? doc.resources : [doc.resources];
  for (const fragment of fragments) {
    if (!isObject(fragment) || !isObject(fragment.Resources)) continue;
    for (const [id, r] of Object.entries(fragment.Resources)) {
      if (!isObject(r) || r.Type !== 'AWS::Glue::Job' || !isObject(r.Properties)) continue;
      const runs = isObject(r.Properties.ExecutionProperty)
        ? r.Properties.ExecutionProperty.MaxConcurrentRuns
        : 1;
      view.glueJobConcurrency[id] = typeof runs === 'number' ? runs : 1;
    }
  }
  return view;
}

/** A rule's pattern with `Ref`s resolved to local names (e.g. the raw bucket). */
export const resolvePattern = (pattern: unknown, intrinsics: IntrinsicResolver): EventPattern =>
  resolveIntrinsics(pattern, intrinsics) as EventPattern;

// EventBridgePort locally: putEvents (and S3's own events) are matched against local rules with
// EventBridge's pattern semantics and delivered to local targets in the background, as EventBridge
// delivers asynchronously. `drain()` waits for every delivery (the CLI does before it exits).
import { randomUUID } from 'node:crypto';
import type * as eb from '@aws-sdk/client-eventbridge';
import type { EventBridgePort } from '../aws/ports';
import { errorMessage } from '../errors';
import { awsCodeError } from './errors';
import { jsonClone } from './runner';
import { type EventBridgeEvent, LOCAL_ACCOUNT, LOCAL_REGION } from './s3';

export type EventPattern = Record<string, unknown>;

export interface LocalRule {
  name: string;
  /** default: 'default' */
  eventBusName?: string;
  pattern: EventPattern;
  target: (event: EventBridgeEvent) => Promise<unknown>;
}

export interface DeliveryFailure {
  rule: string;
  event: EventBridgeEvent;
  error: string;
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * EventBridge content filtering: every pattern field must match; leaves are arrays of alternatives
 * (literals, prefix, suffix, equals-ignore-case, anything-but, numeric, exists, wildcard); `$or`
 * takes a list of sub-patterns. An array-valued event field matches if any element matches.
 */
export function matchesPattern(pattern: EventPattern, event: unknown): boolean {
  for (const [key, p] of Object.entries(pattern)) {
    if (key === '$or') {
      if (!Array.isArray(p)) throw new Error('$or must be a list of patterns');
      if (!p.some((sub) => isObject(sub) && matchesPattern(sub, event))) return false;
      continue;
    }
    const value = isObject(event) ? event[key] : undefined;
    if (Array.isArray(p)) {
      if (!matchLeaf(p, value)) return false;
    } else if (isObject(p)) {
      if (!isObject(value) || !matchesPattern(p, value)) return false;
    } else {
      throw new Error(`event pattern field ${key}: expected a list or an object`);
    }
  }
  return true;
}

function matchLeaf(rules: unknown[], value: unknown): boolean {
  const values: unknown[] = value === undefined ? [] : Array.isArray(value) ? value : [value];
  return rules.some((rule) => {
    if (isObject(rule) && 'exists' in rule) return rule.exists ? value !== undefined : value === undefined;
    return values.some((v) => matchOne(rule, v));
  });
}

function matchOne(rule: unknown, v: unknown): boolean {
  if (!isObject(rule)) return rule === v;
  if (typeof rule.prefix === 'string') return typeof v === 'string' && v.startsWith(rule.prefix);
  if (isObject(rule.prefix) && typeof rule.prefix['equals-ignore-case'] === 'string') {
    return (
      typeof v === 'string' && v.toLowerCase().startsWith(rule.prefix['equals-ignore-case'].toLowerCase())
    );
  }
  if (typeof rule.suffix === 'string') return typeof v === 'string' && v.endsWith(rule.suffix);
  if (typeof rule['equals-ignore-case'] === 'string') {
    return typeof v === 'string' && v.toLowerCase() === rule['equals-ignore-case'].toLowerCase();
  }
  if (typeof rule.wildcard === 'string') {
    const re = new RegExp(`^${rule.wildcard.split('*').map(escapeRegex).join('.*')}$`, 's');
    return typeof v === 'string' && re.test(v);
  }
  if ('anything-but' in rule) {
    const ab = rule['anything-but'];
    if (Array.isArray(ab)) return !ab.includes(v as Json);
    if (isObject(ab)) return !matchOne(ab, v);
    return ab !== v;
  }
  if (Array.isArray(rule.numeric)) return typeof v === 'number' && matchNumeric(rule.numeric, v);
  throw new Error(`unsupported event pattern rule: ${JSON.stringify(rule)}`);
}

function matchNumeric(spec: unknown[], v: number): boolean {
  for (let i = 0; i + 1 < spec.length; i += 2) {
    const op = spec[i];
    const n = Number(spec[i + 1]);
    const ok =
      op === '='
        ? v === n
        : op === '<'
          ? v < n
          : op === '<='
            ? v <= n
            : op === '>'
              ? v > n
              : op === '>='
                ? v >= n
                : false;
    if (!ok) return false;
  }
  return true;
}

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export class LocalEventBridge implements EventBridgePort {
  private readonly rules: LocalRule[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  /** Deliveries whose target threw (EventBridge would retry and then dead-letter). */
  readonly failures: DeliveryFailure[] = [];

  constructor(private readonly opts: { onDeliveryError?: (f: DeliveryFailure) => void } = {}) {}

  addRule(rule: LocalRule): void {
    // Fail on a pattern this matcher cannot evaluate now, not at the first event.
    matchesPattern(rule.pattern, {});
    this.rules.push(rule);
  }

  async putEvents(input: eb.PutEventsCommandInput): Promise<eb.PutEventsCommandOutput> {
    const entries = input.Entries ?? [];
    if (!entries.length || entries.length > 10) {
      throw awsCodeError('ValidationException', 'Entries must hold 1 to 10 events');
    }
    const results: eb.PutEventsResultEntry[] = [];
    for (const entry of entries) {
      if (!entry.Source || !entry.DetailType || entry.Detail === undefined) {
        results.push({
          ErrorCode: 'InvalidArgument',
          ErrorMessage: 'Source, DetailType and Detail are required',
        });
        continue;
      }
      let detail: unknown;
      try {
        detail = JSON.parse(entry.Detail);
      } catch {
        detail = undefined;
      }
      if (!isObject(detail)) {
        results.push({ ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' });
        continue;
      }
      const event: EventBridgeEvent = {
        version: '0',
        id: randomUUID(),
        'detail-type': entry.DetailType,
        source: entry.Source,
        account: LOCAL_ACCOUNT,
        time: (entry.Time ?? new Date()).toISOString().replace(/\.\d{3}Z$/, 'Z'),
        region: LOCAL_REGION,
        resources: entry.Resources ?? [],
        detail,
      };
      this.deliver(event, entry.EventBusName ?? 'default');
      results.push({ EventId: event.id });
    }
    return {
      $metadata: {},
      FailedEntryCount: results.filter((r) => r.ErrorCode).length,
      Entries: results,
    };
  }

  /** Routes an already-built event (S3 notifications use this). Returns the number of matched rules. */
  deliver(event: EventBridgeEvent, eventBusName = 'default'): number {
    const matched = this.rules.filter(
      (r) => (r.eventBusName ?? 'default') === busName(eventBusName) && matchesPattern(r.pattern, event),
    );
    for (const rule of matched) {
      const p = (async () => {
        try {
          await rule.target(jsonClone(event));
        } catch (err) {
          const f = { rule: rule.name, event, error: errorMessage(err) };
          this.failures.push(f);
          this.opts.onDeliveryError?.(f);
        }
      })();
      this.inFlight.add(p);
      void p.finally(() => this.inFlight.delete(p));
    }
    return matched.length;
  }

  /** True when nothing started by this process is still running. */
  isIdle(): boolean {
    return this.inFlight.size === 0;
  }

  /** Waits until no delivery is running, including deliveries caused by deliveries. */
  async drain(): Promise<void> {
    while (this.inFlight.size) await Promise.allSettled([...this.inFlight]);
  }
}

/** An event bus ARN or name → name. */
const busName = (nameOrArn: string) => nameOrArn.replace(/^arn:aws:events:[^:]*:[^:]*:event-bus\//, '');

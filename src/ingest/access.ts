// Which raw objects a persona's S3 access point serves. The rule, derived from governance.yml:
// a persona may read raw objects of classification C (the `autogov:classification` tag) when at least
// one of its grants allows C for the column tag key (col_class) — a grant that does not name the
// column key allows both values, as an LF-Tag expression without that key would. An object without
// the tag (not yet ingested, or ingestion still running) is served to nobody.
import type { Governance, Persona } from '../config/schema';
import { CLASSIFICATION_TAG } from './tagging';

export function readableClassifications(persona: Persona, config: Governance): string[] {
  const { columnKey, sensitive, public: pub } = config.tags;
  const all = [sensitive, pub];
  const out = new Set<string>();
  for (const grant of persona.grants) {
    const allowed = grant[columnKey];
    for (const v of all) if (!allowed || allowed.some((a) => a.toLowerCase() === v.toLowerCase())) out.add(v);
  }
  return all.filter((v) => out.has(v));
}

export interface RawAccess {
  persona: string;
  allowed: boolean;
  classification?: string;
  readable: string[];
  reason: string;
}

export function rawObjectAccess(
  name: string,
  persona: Persona,
  config: Governance,
  tags: Array<{ Key?: string; Value?: string }>,
): RawAccess {
  const readable = readableClassifications(persona, config);
  const classification = tags.find((t) => t.Key === CLASSIFICATION_TAG)?.Value;
  if (classification === undefined)
    return {
      persona: name,
      allowed: false,
      readable,
      reason: `the object has no ${CLASSIFICATION_TAG} tag yet`,
    };
  const allowed = readable.some((r) => r.toLowerCase() === classification.toLowerCase());
  return {
    persona: name,
    allowed,
    classification,
    readable,
    reason: allowed
      ? `${name} may read ${classification} objects`
      : `${name} may read only ${readable.join(', ') || 'no'} objects; this one is ${classification}`,
  };
}

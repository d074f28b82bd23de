import { UserError } from '../errors';
import type { Governance, Persona } from './schema';

/** The persona called `name`; own keys only, so `__proto__` or `toString` is an unknown persona, not a crash. */
export function personaNamed(config: Governance, name: string): Persona {
  const p = Object.hasOwn(config.personas, name) ? config.personas[name] : undefined;
  if (!p)
    throw new UserError(
      `${name}: unknown persona; governance.yml defines ${Object.keys(config.personas).join(', ')}`,
    );
  return p;
}

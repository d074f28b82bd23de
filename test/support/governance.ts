import { parseGovernance } from '../../src/config/load';
import { UserError } from '../../src/errors';

/** The one-line message parseGovernance refuses `yaml` with; fails the test when it accepts it. */
export function governanceRefusal(yaml: string): string {
  try {
    parseGovernance(yaml);
  } catch (err) {
    expect(err).toBeInstanceOf(UserError);
    return (err as Error).message;
  }
  throw new Error('expected a UserError');
}

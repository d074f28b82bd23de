import path from 'node:path';
import { PACKAGE_ROOT } from '../../src/paths';

/**
 * The corpora the evaluation and its floor test read: ours (committed beside this file) and the
 * development set in ../shared/pii-corpus (PII_SHARED_CORPUS overrides where ../shared is elsewhere).
 */
export function corpusDirs(): { name: string; dir: string }[] {
  return [
    { name: 'own', dir: path.join(PACKAGE_ROOT, 'eval/pii/corpus') },
    {
      name: 'shared',
      dir: process.env.PII_SHARED_CORPUS ?? path.resolve(PACKAGE_ROOT, '../shared/pii-corpus'),
    },
  ];
}

import { join } from 'node:path';
import { loadCorpus } from '../../eval/pii/corpus';
import { detectEntities } from '../../src/pii/detectors';
import { SUPPORTED_ENTITY_TYPES } from '../../src/pii/types';

// Detectors ranked after every requested type are skipped (src/pii/detectors.ts): that must never
// change what is found of the requested types.
describe('asking for some types finds exactly what asking for all finds of them', () => {
  const corpus = loadCorpus('own', join(__dirname, '../../eval/pii/corpus'));
  const values = [
    ...corpus.texts.map((t) => t.text),
    ...corpus.columns.flatMap((c) => c.values.slice(0, 15)).filter((v): v is string => v !== null),
  ];
  const all = values.map((v) => detectEntities(v));

  test.each(SUPPORTED_ENTITY_TYPES.filter((t) => t !== 'PERSON_NAME'))('%s alone', (type) => {
    values.forEach((v, i) => {
      expect(detectEntities(v, { entityTypes: [type] })).toEqual(
        all[i]!.filter((e) => e.entityType === type),
      );
    });
  });

  test('MAC_ADDRESS and EMAIL together', () => {
    values.forEach((v, i) => {
      expect(detectEntities(v, { entityTypes: ['MAC_ADDRESS', 'EMAIL'] })).toEqual(
        all[i]!.filter((e) => e.entityType === 'MAC_ADDRESS' || e.entityType === 'EMAIL'),
      );
    });
  });
});

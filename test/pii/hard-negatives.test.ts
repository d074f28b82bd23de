import { classifyColumn } from '../../src/pii/classify';
import { detectEntities } from '../../src/pii/detectors';

const names = (text: string) =>
  detectEntities(text, { entityTypes: ['PERSON_NAME'] }).map((e) => [...text].slice(e.start, e.end).join(''));
const column = (name: string, values: string[], entityTypes = ['PERSON_NAME']) =>
  classifyColumn(values, { entityTypes, thresholdFraction: 0.1, column: { name } }).map((e) => e.entityType);

describe('hard negatives: things named after people are not people', () => {
  // Two thirds of these titles are characters' names: each cell alone reads as a person.
  const titles = [
    'Jane Eyre',
    'Oliver Twist',
    'David Copperfield',
    'Tom Sawyer',
    'Anna Karenina',
    'Mrs Dalloway',
    'Peter Pan',
    'Tristram Shandy',
    'Moby Dick',
    'Little Women',
    'Hamlet',
    'The Old Man and the Sea',
  ];

  test('a book-title column of characters’ names is not PERSON_NAME: its name says titles', () => {
    expect(column('title', titles)).toEqual([]);
  });

  test('the same values under a name column are names', () => {
    expect(column('customer_name', titles)).toEqual(['PERSON_NAME']);
  });

  test('a column named for things still holds people when nearly every value is a name', () => {
    const people = ['Ada Lovelace', 'Grace Hopper', 'Alan Turing', 'Katherine Johnson', 'Anna Karenina'];
    expect(column('event_host', people)).toEqual(['PERSON_NAME']);
  });

  test.each(['Campina do Sul', 'Santa Rosa del Norte', 'Alessandra de Nossa Senhora', 'Hamilton Township'])(
    'the place %s is not a name',
    (value) => {
      expect(names(value)).toEqual([]);
    },
  );

  test.each([
    ['Please ask Prof. Cook', 'Prof. Cook'],
    ['Mrs Baker called', 'Mrs Baker'],
  ])('a courtesy title makes a surname that is a word a person: %s', (text, name) => {
    expect(names(text)).toEqual([name]);
  });

  test.each(['Brown Bread', 'Sr. Engineer', 'Madam President'])('%s is not a name', (value) => {
    expect(names(value)).toEqual([]);
  });

  test('a user agent’s four-part rv: version is not an IP address', () => {
    const ua = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:109.0.12.7) Gecko/20100101 Firefox/115.0';
    expect(detectEntities(ua, { entityTypes: ['IP_ADDRESS'] })).toEqual([]);
    expect(detectEntities('login from 109.0.12.7', { entityTypes: ['IP_ADDRESS'] })).toHaveLength(1);
  });
});

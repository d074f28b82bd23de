import { detectEntities } from '../../src/pii/detectors';

const names = (text: string, sensitivity: 'LOW' | 'HIGH' = 'LOW') =>
  detectEntities(text, { entityTypes: ['PERSON_NAME'], sensitivity }).map((e) =>
    [...text].slice(e.start, e.end).join(''),
  );

describe('PERSON_NAME: values that are names', () => {
  test.each([
    ['Jane Doe', 'Jane Doe'],
    ["Mary-Kate O'Neil", "Mary-Kate O'Neil"],
    ['José García', 'José García'],
    ['Dr. John Smith', 'Dr. John Smith'],
    ['smith, john', 'smith, john'],
    ["O'Brien, Patrick", "O'Brien, Patrick"],
    ['JOHN SMITH', 'JOHN SMITH'],
    ['jane doe', 'jane doe'],
    ['Ms. Smith', 'Ms. Smith'],
    ['Prof. Ada Lovelace', 'Prof. Ada Lovelace'],
    ['Anne-Marie Smith', 'Anne-Marie Smith'],
    ['Jean-Luc Picard', 'Jean-Luc Picard'],
    ['Kim Ji-woon', 'Kim Ji-woon'],
    ['María José Pérez', 'María José Pérez'],
    ['François Dupont', 'François Dupont'],
    ['Zoë Kravitz', 'Zoë Kravitz'],
    ['Aarav Sharma', 'Aarav Sharma'],
    ['Hiroshi Tanaka', 'Hiroshi Tanaka'],
    ['Priya Patel', 'Priya Patel'],
    ['Jürgen Müller', 'Jürgen Müller'],
    ['Wei Zhang', 'Wei Zhang'],
    ['Ali Khan', 'Ali Khan'],
    ['Paris Hilton', 'Paris Hilton'],
    ['Jordan Peterson', 'Jordan Peterson'],
    ['Chelsea Clinton', 'Chelsea Clinton'],
  ])('%s is a name', (value, expected) => {
    expect(names(value)).toEqual([expected]);
  });
});

describe('PERSON_NAME: values that are not names', () => {
  test.each([
    // cities (several are also given names or surnames)
    'Seattle',
    'New York',
    'Paris',
    'San Francisco',
    'Santa Monica',
    'Santa Clara',
    'St. Louis',
    'Salt Lake City',
    'Charlotte',
    'Madison',
    'Houston',
    'Austin',
    'Sydney',
    'Lincoln',
    'Jordan',
    'Virginia',
    // products
    'iPhone 15 Pro',
    'Samsung Galaxy S24',
    'MacBook Pro',
    'Tesla Model Y',
    'Honda Civic',
    'Air Jordan 1',
    // dates
    'Monday',
    'January',
    'April',
    'May',
    'Tuesday Morning',
    // streets and buildings
    'Main Street',
    'Baker Street',
    'Washington Ave',
    'Martin Luther King Jr Blvd',
    'Jefferson Davis Hwy',
    'Abraham Lincoln High School',
    // companies (several named after people)
    'Amazon',
    'Acme Corp',
    'Apple Inc.',
    'Morgan Stanley',
    'Charles Schwab',
    'John Deere',
    'Harley-Davidson',
    'Wells Fargo',
    'Johnson & Johnson',
    'Ernst & Young',
    "McDonald's",
    'Dr Pepper',
    'Smith & Sons LLC',
    // job titles and common words
    'Sr. Engineer',
    'Customer Service',
    'the quick brown fox',
    'Brown',
    'Will',
  ])('%s is not a name', (value) => {
    expect(names(value)).toEqual([]);
  });
});

describe('PERSON_NAME in free text', () => {
  test('finds the name inside a sentence with a phone number', () => {
    expect(names('please call John Smith at 555-123-4567')).toEqual(['John Smith']);
  });

  test('finds several names and keeps each one separate', () => {
    expect(names('John Smith, Mary Jones and Bob Lee went to Paris.')).toEqual([
      'John Smith',
      'Mary Jones',
      'Bob Lee',
    ]);
  });

  test('a company named after a person is not a name, the person next to it is', () => {
    expect(names('my account at Morgan Stanley was opened by Jane Doe')).toEqual(['Jane Doe']);
  });

  test('in mixed-case text lower-case words are not names', () => {
    expect(names('Order shipped to will smith yesterday')).toEqual([]);
  });

  test('a capitalised word at the start of a long sentence does not extend a surname', () => {
    expect(names('Customer Patel called about the order')).toEqual([]);
  });

  test('an email local part is an email, not a name', () => {
    expect(names('john.smith@example.com')).toEqual([]);
  });
});

describe('PERSON_NAME sensitivity', () => {
  test('a lone first name is a name only at HIGH sensitivity', () => {
    expect(names('Jennifer')).toEqual([]);
    expect(names('Jennifer', 'HIGH')).toEqual(['Jennifer']);
  });

  test('a lone city is not a name even at HIGH sensitivity', () => {
    expect(names('Seattle', 'HIGH')).toEqual([]);
    expect(names('Monday', 'HIGH')).toEqual([]);
  });
});

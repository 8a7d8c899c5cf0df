import fc from 'fast-check';

// The generators of the fuzz test (fuzz.int.test.ts): request bodies, ids, headers and queries,
// valid and hostile.

const weirdString = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 30 }),
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.constantFrom(
    '',
    ' ',
    '\u0000',
    '\ud800',
    '\u202e',
    '😀'.repeat(60),
    'x'.repeat(5000),
    '<script>',
    "'; DROP TABLE",
    '../..',
    '%00',
    'EMAIL#x@example.com',
  ),
);
const edgeNumber = fc.oneof(
  fc.double(),
  fc.integer(),
  fc.constantFrom(0, -0, 2 ** 53, -(2 ** 53), Number.MAX_SAFE_INTEGER, 1e-200, 1e308, 0.1, -1),
);
const jsonish: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    weirdString,
    edgeNumber,
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(weirdString, tie('value'), { maxKeys: 4 }),
  ),
})).value;
const deepObject = fc.integer({ min: 1, max: 40 }).map((depth) => {
  let o: Record<string, unknown> = { leaf: 1 };
  for (let i = 0; i < depth; i++) o = { d: o };
  return o;
});
const email = fc.oneof(
  fc.emailAddress(),
  weirdString,
  fc.constantFrom('UPPER@EXAMPLE.COM', ' fixed@example.com ', 'fixed@EXAMPLE.com'),
);
const field = (valid: fc.Arbitrary<unknown>) =>
  fc.oneof({ weight: 3, arbitrary: valid }, { weight: 1, arbitrary: jsonish });
const profileBody = fc.record(
  {
    email: field(email),
    firstName: field(fc.string({ minLength: 1, maxLength: 110 })),
    lastName: field(fc.string({ minLength: 1, maxLength: 110 })),
    phoneNumber: field(fc.oneof(fc.stringMatching(/^\+[1-9]\d{1,15}$/), fc.constant(null))),
    metadata: field(
      fc.oneof(
        fc.dictionary(fc.string({ maxLength: 10 }), jsonish, { maxKeys: 5 }),
        deepObject,
        fc.constant(null),
      ),
    ),
    active: field(fc.boolean()),
    userId: fc.uuid(),
    version: edgeNumber,
    extra: jsonish,
  },
  { requiredKeys: [] },
);
// Mostly well-formed profiles, so that accepted creates and updates are tried too.
const validBody = fc.record(
  {
    email: fc.emailAddress({ size: 'small' }),
    firstName: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 }),
    lastName: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 }),
    phoneNumber: fc.stringMatching(/^\+[1-9]\d{6,13}$/),
    metadata: fc.dictionary(fc.string({ minLength: 1, maxLength: 10 }), jsonish, { maxKeys: 4 }),
  },
  { requiredKeys: ['email', 'firstName', 'lastName'] },
);
export const body = fc.oneof(
  { weight: 4, arbitrary: validBody.map((b) => JSON.stringify(b)) },
  { weight: 6, arbitrary: profileBody.map((b) => JSON.stringify(b)) },
  { weight: 1, arbitrary: jsonish.map((v) => JSON.stringify(v) ?? 'null') },
  {
    weight: 1,
    arbitrary: fc
      .uint8Array({ maxLength: 200 })
      .map((bytes) => Buffer.from(bytes).toString('latin1')),
  },
  { weight: 1, arbitrary: fc.string({ maxLength: 50 }) },
);
export const contentType = fc.oneof(
  { weight: 5, arbitrary: fc.constant('application/json') },
  { weight: 2, arbitrary: fc.constant('application/merge-patch+json') },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      'text/plain',
      'application/json; charset=latin1',
      'application/x-www-form-urlencoded',
      'multipart/form-data',
      '',
      'application/xml',
    ),
  },
);
export const idSegment = fc.oneof(
  fc.constant('{existing}'),
  fc.uuid(),
  fc.constantFrom(
    '%2F',
    '..',
    '%2e%2e',
    'EMAIL%23fixed%40example.com',
    'IDEMPOTENCY%23k',
    '%00',
    '%',
    'a'.repeat(300),
    '%F0%9F%98%80',
    'users',
    '',
  ),
  fc.string({ maxLength: 20 }).map(encodeURIComponent),
);
// Header values: anything HTTP can carry (visible ASCII and spaces); other bytes never reach a server.
export const headerText = (max: number) =>
  fc.stringMatching(new RegExp(`^[\\x20-\\x7e]{0,${max}}$`));
export const ifMatch = fc.option(
  fc.oneof(
    fc.constantFrom(
      '"1"',
      '"2"',
      '*',
      'W/"1"',
      '"0"',
      '"-1"',
      '""',
      'junk',
      '"1", "2"',
      '"99999999999999999999"',
    ),
    headerText(20),
  ),
  { nil: undefined },
);
export const query = fc.dictionary(
  fc.constantFrom('limit', 'lastKey', 'email', 'active', 'other'),
  fc.oneof(
    fc.constantFrom(
      '0',
      '1',
      '20',
      '100',
      '101',
      '-1',
      '1.5',
      '1e2',
      'abc',
      '',
      'true',
      'false',
      'v1.eyJrIjoiMjAyNi0wMS0wMVQwMDowMDowMC4wMDBaIzAwMDAwMDAwLTAwMDAtNDAwMC04MDAwLTAwMDAwMDAwMDAwMSJ9',
      'v1.e30',
      'v1.@@@',
    ),
    fc.string({ maxLength: 30 }),
  ),
  { maxKeys: 3 },
);

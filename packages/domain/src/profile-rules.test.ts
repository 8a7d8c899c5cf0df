import { parseEmail, parseMetadata, parseName, parsePhoneNumber, isUserId } from './profile-rules';

describe('e-mail rule', () => {
  it('trims and lower-cases a valid address', () => {
    expect(parseEmail('  Ada.Lovelace+x@Example.CO.uk ')).toEqual({
      ok: true,
      value: 'ada.lovelace+x@example.co.uk',
    });
  });

  it.each([
    ['', 'must not be empty'],
    ['   ', 'must not be empty'],
    ['no-at-sign', 'must be a valid e-mail address'],
    ['a@localhost', 'must be a valid e-mail address'],
    ['a b@example.com', 'must be a valid e-mail address'],
    ['a@-example.com', 'must be a valid e-mail address'],
    [`${'x'.repeat(65)}@example.com`, 'must be a valid e-mail address'],
    [`a@${'x'.repeat(250)}.com`, 'must be at most 254 characters'],
  ])('rejects %j: %s', (raw, message) => {
    expect(parseEmail(raw)).toEqual({ ok: false, problem: { field: 'email', message } });
  });

  it('rejects a value that is not a string', () => {
    expect(parseEmail(42)).toMatchObject({ ok: false, problem: { message: 'must be a string' } });
  });
});

describe('name rule', () => {
  it('trims a name and counts characters, not UTF-16 units', () => {
    expect(parseName('  Zoë  ', 'firstName')).toEqual({ ok: true, value: 'Zoë' });
    expect(parseName('😀'.repeat(100), 'firstName')).toMatchObject({ ok: true });
    // Joiners that scripts and emoji need stay allowed; so do combining marks on a letter.
    for (const name of ['👩\u200d💻', 'क्\u200dष', 'مريم', 'Zoe\u0308', "O'Brien-Smith"]) {
      expect(parseName(name, 'firstName')).toMatchObject({ ok: true, value: name });
    }
  });

  it.each([
    ['', 'must not be empty'],
    [' \t ', 'must not be empty'],
    ['x'.repeat(101), 'must be at most 100 characters'],
    ['Bad\u0000Name', 'must not contain control characters'],
    ['Bad\nName', 'must not contain control characters'],
    ['Lone\ud800', 'must not contain control characters'],
    ['\u200b\u200b', 'must contain a visible character'],
    ['\u3000\u2060\ufeff', 'must contain a visible character'],
    ['\u0308', 'must contain a visible character'],
    ['Ada\u202egnp.exe', 'must not contain bidirectional control characters'],
    ['\u2066Ada\u2069', 'must not contain bidirectional control characters'],
    ['Ada\u200f', 'must not contain bidirectional control characters'],
  ])('rejects %j', (raw, message) => {
    expect(parseName(raw, 'lastName')).toEqual({
      ok: false,
      problem: { field: 'lastName', message },
    });
  });
});

describe('phone number rule', () => {
  it('accepts E.164 numbers', () => {
    expect(parsePhoneNumber('+14155550123')).toEqual({ ok: true, value: '+14155550123' });
  });

  it.each(['4155550123', '+0123456', '+1 415 555', '+1234567890123456', '+'])(
    'rejects %j',
    (raw) => {
      expect(parsePhoneNumber(raw)).toMatchObject({ ok: false, problem: { field: 'phoneNumber' } });
    },
  );
});

describe('metadata rule', () => {
  it('accepts a nested JSON object and returns a copy', () => {
    const raw = { a: 1.5, b: [true, null, 'x', { c: -0.001 }], d: {} };
    const parsed = parseMetadata(raw);
    expect(parsed).toEqual({ ok: true, value: raw });
    expect(parsed.ok && parsed.value).not.toBe(raw);
  });

  it.each([
    ['an array', [1, 2]],
    ['a string', 'x'],
    ['null', null],
  ])('rejects %s at the top level', (_label, raw) => {
    expect(parseMetadata(raw)).toEqual({
      ok: false,
      problem: { field: 'metadata', message: 'must be a JSON object' },
    });
  });

  it('rejects objects nested deeper than 8 levels', () => {
    let deep: Record<string, unknown> = { leaf: 1 };
    for (let i = 0; i < 8; i++) deep = { d: deep };
    expect(parseMetadata(deep)).toMatchObject({
      ok: false,
      problem: { message: 'must be nested at most 8 deep' },
    });
  });

  it('rejects more than 16 KiB of JSON', () => {
    expect(parseMetadata({ big: 'x'.repeat(16 * 1024) })).toMatchObject({
      ok: false,
      problem: { message: 'must be at most 16384 bytes as JSON' },
    });
  });

  it('counts multi-byte characters as bytes', () => {
    expect(parseMetadata({ s: 'é'.repeat(8200) })).toMatchObject({ ok: false });
    expect(parseMetadata({ s: 'é'.repeat(4000) })).toMatchObject({ ok: true });
  });

  it.each([
    ['an unsafe integer', { n: 2 ** 53 }, 'metadata.n'],
    ['a number too close to zero', { n: 1e-200 }, 'metadata.n'],
    ['an empty key', { '': 1 }, 'metadata'],
    ['a __proto__ key', JSON.parse('{"__proto__": {"x": 1}}'), 'metadata'],
    ['a lone surrogate', { s: '\udc00' }, 'metadata.s'],
    ['a non-JSON value', { f: () => 1 }, 'metadata.f'],
    ['a non-finite number in an array', { a: [1, Infinity] }, 'metadata.a[1]'],
  ])('rejects %s, naming the path', (_label, raw, field) => {
    expect(parseMetadata(raw)).toMatchObject({ ok: false, problem: { field } });
  });
});

describe('user id', () => {
  it('recognises only lower-case UUIDs', () => {
    expect(isUserId('3f1c2a4e-8d4b-4c3e-9a1f-2b3c4d5e6f70')).toBe(true);
    expect(isUserId('3F1C2A4E-8D4B-4C3E-9A1F-2B3C4D5E6F70')).toBe(false);
    expect(isUserId('EMAIL#a@example.com')).toBe(false);
    expect(isUserId('../etc/passwd')).toBe(false);
  });
});

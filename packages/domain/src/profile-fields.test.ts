import { FieldForbidden, ValidationFailed } from './errors';
import { METADATA_TIERS, USERNAME_RULES } from './profile-fields';
import { applyMergePatch, applyUpdate, newUserProfile, type UserProfile } from './user-profile';

const userId = '3f1c2a4e-8d4b-4c3e-9a1f-2b3c4d5e6f70';
const t0 = new Date('2026-03-01T10:00:00.000Z');
const t1 = new Date('2026-03-01T11:00:00.000Z');
const owner = { admin: false };
const admin = { admin: true };

const base = (extra: object = {}): UserProfile =>
  newUserProfile(
    { email: 'ada@example.com', firstName: 'Ada', lastName: 'Lovelace', ...extra },
    { userId, now: t0 },
  );

function problemsOf(fn: () => unknown) {
  try {
    fn();
  } catch (error) {
    if (error instanceof ValidationFailed) return error.errors;
    throw error;
  }
  throw new Error('expected a ValidationFailed');
}

/** A JSON object of exactly `bytes` bytes when serialised. */
const ofBytes = (bytes: number) => ({ k: 'x'.repeat(bytes - '{"k":""}'.length) });

describe('locale and time zone', () => {
  it('canonicalises a BCP 47 locale and keeps an IANA time zone', () => {
    const p = base({ locale: 'EN-gb', timeZone: 'Europe/Paris' });
    expect(p).toMatchObject({ locale: 'en-GB', timeZone: 'Europe/Paris' });
    expect(base({ timeZone: 'UTC' }).timeZone).toBe('UTC');
  });

  it('refuses a malformed locale and an unknown time zone, naming each', () => {
    expect(problemsOf(() => base({ locale: 'en_GB!', timeZone: 'Mars/Olympus' }))).toEqual([
      { field: 'locale', message: 'must be a BCP 47 language tag, e.g. en-GB' },
      { field: 'timeZone', message: 'must be an IANA time zone, e.g. Europe/Paris' },
    ]);
    expect(problemsOf(() => base({ locale: 42 }))).toEqual([
      { field: 'locale', message: 'must be a string' },
    ]);
  });

  it('is written by the owner and removed by null in a merge patch', () => {
    const p = applyUpdate(base(), { locale: 'fr', timeZone: 'America/New_York' }, t1, owner);
    expect(p).toMatchObject({ locale: 'fr', timeZone: 'America/New_York', version: 2 });
    const removed = applyMergePatch(p, { locale: null }, t1, owner);
    expect(removed.locale).toBeUndefined();
    expect(removed.timeZone).toBe('America/New_York');
  });
});

describe('metadata tiers', () => {
  it('refuses an owner writing appMetadata with a 403 naming the field, even to remove it', () => {
    for (const value of [{ plan: 'pro' }, null]) {
      for (const run of [
        () => applyMergePatch(base(), { appMetadata: value }, t1, owner),
        () => applyUpdate(base(), { appMetadata: value }, t1, owner),
        () =>
          newUserProfile(
            { email: 'a@example.com', firstName: 'A', lastName: 'B', appMetadata: value },
            { userId, now: t0, admin: false },
          ),
      ]) {
        expect(run).toThrow(FieldForbidden);
        try {
          run();
        } catch (error) {
          expect((error as FieldForbidden).field).toBe('appMetadata');
        }
      }
    }
  });

  it('lets administrators write appMetadata and owners write publicMetadata', () => {
    const p = applyMergePatch(base(), { appMetadata: { plan: 'pro' } }, t1, admin);
    const q = applyMergePatch(p, { publicMetadata: { bio: 'maths' } }, t1, owner);
    expect(q).toMatchObject({ appMetadata: { plan: 'pro' }, publicMetadata: { bio: 'maths' } });
  });

  it('merges every tier key by key, null removing one key', () => {
    for (const tier of ['metadata', 'appMetadata', 'publicMetadata'] as const) {
      const p = applyMergePatch(base(), { [tier]: { a: 1, b: { c: 2, d: 3 } } }, t1, admin);
      const q = applyMergePatch(p, { [tier]: { a: null, b: { d: 4 } } }, t1, admin);
      expect(q[tier]).toEqual({ b: { c: 2, d: 4 } });
    }
  });

  it('holds each tier to its own size limit, at the byte', () => {
    for (const [tier, { maxBytes }] of Object.entries(METADATA_TIERS)) {
      expect(
        applyUpdate(base(), { [tier]: ofBytes(maxBytes) }, t1, admin)[tier as 'metadata'],
      ).toEqual(ofBytes(maxBytes));
      expect(
        problemsOf(() => applyUpdate(base(), { [tier]: ofBytes(maxBytes + 1) }, t1, admin)),
      ).toEqual([{ field: tier, message: `must be at most ${maxBytes} bytes as JSON` }]);
    }
  });

  it('applies the key-safety checks of metadata to every tier', () => {
    for (const tier of ['metadata', 'appMetadata', 'publicMetadata']) {
      expect(problemsOf(() => applyUpdate(base(), { [tier]: { '': 1 } }, t1, admin))).toEqual([
        { field: tier, message: 'keys must not be empty' },
      ]);
      const proto = JSON.parse('{"__proto__": 1}') as object;
      expect(problemsOf(() => applyUpdate(base(), { [tier]: proto }, t1, admin))).toEqual([
        { field: tier, message: 'key "__proto__" is not allowed' },
      ]);
    }
  });
});

describe('usernames', () => {
  it('accepts 3 to 30 letters, digits and underscores, keeping their case', () => {
    expect(base({ username: 'Ada_1815' }).username).toBe('Ada_1815');
    expect(base({ username: 'a'.repeat(USERNAME_RULES.maxLength) }).username).toHaveLength(30);
  });

  it('refuses other characters, lengths and reserved names, whatever their case', () => {
    const message = 'must be 3 to 30 ASCII letters, digits or underscores';
    for (const username of ['ab', 'a'.repeat(31), 'ada lovelace', 'ada-l', 'adá', '']) {
      expect(problemsOf(() => base({ username }))).toEqual([{ field: 'username', message }]);
    }
    for (const username of ['admin', 'Support', 'ROOT']) {
      expect(problemsOf(() => base({ username }))).toEqual([
        { field: 'username', message: 'is reserved' },
      ]);
    }
  });

  it('is changed and removed by its owner', () => {
    const p = applyMergePatch(base({ username: 'ada' }), { username: 'countess' }, t1, owner);
    expect(p.username).toBe('countess');
    expect(applyMergePatch(p, { username: null }, t1, owner).username).toBeUndefined();
  });
});

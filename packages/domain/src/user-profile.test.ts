import { ValidationFailed } from './errors';
import { applyUpdate, applyMergePatch, newUserProfile, type UserProfile } from './user-profile';

const userId = '3f1c2a4e-8d4b-4c3e-9a1f-2b3c4d5e6f70';
const t0 = new Date('2026-03-01T10:00:00.000Z');
const t1 = new Date('2026-03-01T11:00:00.000Z');

function problemsOf(fn: () => unknown) {
  try {
    fn();
  } catch (error) {
    if (error instanceof ValidationFailed) return error.errors;
    throw error;
  }
  throw new Error('expected a ValidationFailed');
}

const ada = (): UserProfile =>
  newUserProfile(
    {
      email: ' Ada@Example.com',
      firstName: ' Ada ',
      lastName: 'Lovelace',
      phoneNumber: '+441234567890',
      metadata: { theme: 'dark', prefs: { lang: 'en', tz: 'UTC' } },
    },
    { userId, now: t0 },
  );

describe('creating a profile', () => {
  it('normalises fields and sets id, timestamps, version 1 and active', () => {
    expect(ada()).toEqual({
      userId,
      email: 'ada@example.com',
      firstName: 'Ada',
      lastName: 'Lovelace',
      phoneNumber: '+441234567890',
      metadata: { theme: 'dark', prefs: { lang: 'en', tz: 'UTC' } },
      active: true,
      blocked: false,
      emailChangedAt: '2026-03-01T10:00:00.000Z',
      createdAt: '2026-03-01T10:00:00.000Z',
      updatedAt: '2026-03-01T10:00:00.000Z',
      version: 1,
    });
  });

  it('lists every missing required field at once', () => {
    expect(problemsOf(() => newUserProfile({}, { userId, now: t0 }))).toEqual([
      { field: 'email', message: 'is required' },
      { field: 'firstName', message: 'is required' },
      { field: 'lastName', message: 'is required' },
    ]);
  });

  it('refuses caller-set ids, timestamps, versions, active flags and unknown fields', () => {
    const input = {
      email: 'a@example.com',
      firstName: 'A',
      lastName: 'B',
      userId: 'x',
      createdAt: 'x',
      version: 7,
      active: false,
      role: 'admin',
    };
    expect(problemsOf(() => newUserProfile(input, { userId, now: t0 }))).toEqual([
      { field: 'userId', message: 'is read-only and cannot be set' },
      { field: 'createdAt', message: 'is read-only and cannot be set' },
      { field: 'version', message: 'is read-only and cannot be set' },
      { field: 'active', message: 'is not a known field' },
      { field: 'role', message: 'is not a known field' },
    ]);
  });

  it('treats null optional fields as absent', () => {
    const p = newUserProfile(
      { email: 'a@example.com', firstName: 'A', lastName: 'B', phoneNumber: null, metadata: null },
      { userId, now: t0 },
    );
    expect(p).not.toHaveProperty('phoneNumber');
    expect(p).not.toHaveProperty('metadata');
  });

  it('rejects a body that is not an object', () => {
    for (const body of [null, [], 'x', 3]) {
      expect(problemsOf(() => newUserProfile(body, { userId, now: t0 }))).toEqual([
        { field: '', message: 'the body must be a JSON object' },
      ]);
    }
  });
});

describe('changing a profile (PUT)', () => {
  it('replaces the given fields, keeps the others and bumps version and updatedAt', () => {
    const next = applyUpdate(ada(), { lastName: 'King', active: false }, t1);
    expect(next).toEqual({
      ...ada(),
      lastName: 'King',
      active: false,
      updatedAt: t1.toISOString(),
      version: 2,
    });
  });

  it('replaces metadata as a whole and removes optional fields given as null', () => {
    const next = applyUpdate(ada(), { metadata: { only: 1 }, phoneNumber: null }, t1);
    expect(next.metadata).toEqual({ only: 1 });
    expect(next).not.toHaveProperty('phoneNumber');
  });

  it('deactivates and reactivates through the active flag', () => {
    const off = applyUpdate(ada(), { active: false }, t1);
    const on = applyUpdate(off, { active: true }, new Date('2026-03-02T00:00:00.000Z'));
    expect([off.active, off.version, on.active, on.version]).toEqual([false, 2, true, 3]);
  });

  it('returns the same profile, unversioned, when nothing actually changes', () => {
    const p = ada();
    expect(applyUpdate(p, { firstName: ' Ada ', email: 'ADA@example.com' }, t1)).toBe(p);
  });

  it('needs at least one field and refuses read-only ones', () => {
    expect(problemsOf(() => applyUpdate(ada(), {}, t1))).toEqual([
      { field: '', message: 'give at least one field to change' },
    ]);
    expect(problemsOf(() => applyUpdate(ada(), { updatedAt: 'x', firstName: '' }, t1))).toEqual([
      { field: 'updatedAt', message: 'is read-only and cannot be set' },
      { field: 'firstName', message: 'must not be empty' },
    ]);
  });

  it('never moves updatedAt backwards when the clock does', () => {
    const next = applyUpdate(ada(), { firstName: 'B' }, new Date('2020-01-01T00:00:00.000Z'));
    expect(next.updatedAt).toBe(t0.toISOString());
    expect(next.version).toBe(2);
  });
});

describe('merge-patching a profile (RFC 7396)', () => {
  it('merges metadata recursively and removes keys given as null', () => {
    const next = applyMergePatch(
      ada(),
      { metadata: { theme: null, prefs: { tz: null, units: 'metric' }, extra: [1] } },
      t1,
    );
    expect(next.metadata).toEqual({ prefs: { lang: 'en', units: 'metric' }, extra: [1] });
    expect(next.version).toBe(2);
  });

  it('removes phoneNumber and metadata given as null', () => {
    const next = applyMergePatch(ada(), { phoneNumber: null, metadata: null }, t1);
    expect(next).not.toHaveProperty('phoneNumber');
    expect(next).not.toHaveProperty('metadata');
  });

  it('refuses to remove required fields', () => {
    expect(
      problemsOf(() => applyMergePatch(ada(), { email: null, firstName: null, active: null }, t1)),
    ).toEqual([
      { field: 'email', message: 'is required and cannot be removed' },
      { field: 'firstName', message: 'is required and cannot be removed' },
      { field: 'active', message: 'is required and cannot be removed' },
    ]);
  });

  it('replaces metadata given as a non-object with a validation error', () => {
    expect(problemsOf(() => applyMergePatch(ada(), { metadata: [1, 2] }, t1))).toEqual([
      { field: 'metadata', message: 'must be a JSON object' },
    ]);
  });

  it('validates the merged metadata against the size limit', () => {
    const big = { a: 'x'.repeat(9000) };
    const p = applyMergePatch(ada(), { metadata: big }, t1);
    expect(problemsOf(() => applyMergePatch(p, { metadata: { b: 'y'.repeat(9000) } }, t1))).toEqual(
      [{ field: 'metadata', message: 'must be at most 16384 bytes as JSON' }],
    );
  });

  it('refuses a patch nested deeper than metadata may be before merging it (no stack overflow)', () => {
    const nest = (depth: number): Record<string, unknown> => {
      let value: Record<string, unknown> = { leaf: 1 };
      for (let i = 1; i < depth; i++) value = { a: value };
      return value;
    };
    for (const depth of [9, 4_000, 200_000]) {
      expect(problemsOf(() => applyMergePatch(ada(), { metadata: nest(depth) }, t1))).toEqual([
        { field: 'metadata', message: 'must be nested at most 8 deep' },
      ]);
    }
    expect(applyMergePatch(ada(), { metadata: nest(8) }, t1).version).toBe(2);
  });

  it('merges keys named like Object.prototype members as plain data', () => {
    const next = applyMergePatch(
      ada(),
      { metadata: { constructor: { name: 'String' }, toString: 1, hasOwnProperty: null } },
      t1,
    );
    expect(next.metadata).toEqual({
      theme: 'dark',
      prefs: { lang: 'en', tz: 'UTC' },
      constructor: { name: 'String' },
      toString: 1,
    });
    const proto = JSON.parse('{"metadata": {"__proto__": {"admin": true}}}') as unknown;
    expect(problemsOf(() => applyMergePatch(ada(), proto, t1))).toEqual([
      { field: 'metadata', message: 'key "__proto__" is not allowed' },
    ]);
  });

  it('accepts an empty patch as a no-op', () => {
    const p = ada();
    expect(applyMergePatch(p, {}, t1)).toBe(p);
  });
});

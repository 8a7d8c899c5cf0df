import { OPEN_ACCESS, userActor } from './actor';
import { ValidationFailed, type FieldProblem } from './errors';
import type { JsonObject } from './json';
import type { MetadataSchemas } from './ports';
import type { MetadataTier } from './profile-fields';
import { FixedClock, InMemoryUserProfileRepository, SequentialIds } from './testing';
import { CreateUserProfile } from './use-cases/create-user-profile';
import { GetUserProfile } from './use-cases/get-user-profile';
import { PatchUserProfile } from './use-cases/patch-user-profile';
import { UpdateUserProfile } from './use-cases/update-user-profile';
import { applyMergePatch, applyUpdate, newUserProfile, type UserProfile } from './user-profile';

const userId = '3f1c2a4e-8d4b-4c3e-9a1f-2b3c4d5e6f70';
const t0 = new Date('2026-03-01T10:00:00.000Z');
const t1 = new Date('2026-03-01T11:00:00.000Z');
const owner = { admin: false };
const admin = { admin: true };

/** A fake port: every tier must hold a string `plan`; it records what it was asked to check. */
class RequirePlan implements MetadataSchemas {
  readonly checked: [MetadataTier, JsonObject][] = [];
  problemsOf(tier: MetadataTier, value: JsonObject): FieldProblem[] {
    this.checked.push([tier, value]);
    return typeof value.plan === 'string'
      ? []
      : [{ field: `${tier}.plan`, message: 'must be a string' }];
  }
}

const input = { email: 'ada@example.com', firstName: 'Ada', lastName: 'Lovelace' };
const stored = (extra: object = {}): UserProfile =>
  newUserProfile({ ...input, ...extra }, { userId, now: t0 });

function problemsOf(fn: () => unknown): readonly FieldProblem[] {
  try {
    fn();
  } catch (error) {
    if (error instanceof ValidationFailed) return error.errors;
    throw error;
  }
  throw new Error('expected a ValidationFailed');
}

describe('declared metadata schemas, in the rules', () => {
  it('holds each tier a create gives to its schema, with the other problems in one answer', () => {
    const schemas = new RequirePlan();
    const body = { ...input, firstName: '', metadata: { plan: 1 }, publicMetadata: {} };
    expect(problemsOf(() => newUserProfile(body, { userId, now: t0, schemas }))).toEqual([
      { field: 'firstName', message: 'must not be empty' },
      { field: 'metadata.plan', message: 'must be a string' },
      { field: 'publicMetadata.plan', message: 'must be a string' },
    ]);
    // A tier the create leaves out is not checked: there is nothing of it to check.
    expect(schemas.checked.map(([tier]) => tier)).toEqual(['metadata', 'publicMetadata']);
  });

  it('accepts a create whose tiers meet their schemas', () => {
    const schemas = new RequirePlan();
    const p = newUserProfile(
      { ...input, metadata: { plan: 'pro' } },
      { userId, now: t0, schemas, admin: true },
    );
    expect(p.metadata).toEqual({ plan: 'pro' });
  });

  it('checks the whole tier a merge patch leaves, not the patch alone', () => {
    const schemas = new RequirePlan();
    const p = stored({ metadata: { plan: 'pro', theme: 'dark' } });
    const q = applyMergePatch(p, { metadata: { theme: 'light' } }, t1, owner, schemas);
    expect(q.metadata).toEqual({ plan: 'pro', theme: 'light' });
    expect(schemas.checked).toEqual([['metadata', { plan: 'pro', theme: 'light' }]]);
    expect(
      problemsOf(() => applyMergePatch(p, { metadata: { plan: null } }, t1, owner, schemas)),
    ).toEqual([{ field: 'metadata.plan', message: 'must be a string' }]);
  });

  it('checks a removed tier as an empty object, so a required key cannot be dodged', () => {
    const schemas = new RequirePlan();
    const p = stored({ metadata: { plan: 'pro' } });
    expect(problemsOf(() => applyMergePatch(p, { metadata: null }, t1, owner, schemas))).toEqual([
      { field: 'metadata.plan', message: 'must be a string' },
    ]);
    expect(schemas.checked).toEqual([['metadata', {}]]);
  });

  it('holds a PUT tier and an administrator’s appMetadata to their schemas', () => {
    const schemas = new RequirePlan();
    const p = stored();
    expect(
      problemsOf(() =>
        applyUpdate(p, { appMetadata: { roles: [] }, metadata: {} }, t1, admin, schemas),
      ),
    ).toEqual([
      { field: 'metadata.plan', message: 'must be a string' },
      { field: 'appMetadata.plan', message: 'must be a string' },
    ]);
    expect(
      applyUpdate(p, { appMetadata: { plan: 'pro' } }, t1, admin, schemas).appMetadata,
    ).toEqual({ plan: 'pro' });
  });

  it('leaves tiers a write does not touch alone: data stored before the schema stays writable', () => {
    const schemas = new RequirePlan();
    const old = stored({ metadata: { legacy: true }, publicMetadata: { bio: 'maths' } });
    const q = applyMergePatch(old, { lastName: 'King' }, t1, owner, schemas);
    expect(q).toMatchObject({ lastName: 'King', metadata: { legacy: true } });
    expect(applyUpdate(old, { firstName: 'Augusta' }, t1, owner, schemas).firstName).toBe(
      'Augusta',
    );
    expect(schemas.checked).toEqual([]);
  });

  it('does not check a tier the domain’s own rules refused', () => {
    const schemas = new RequirePlan();
    expect(problemsOf(() => applyUpdate(stored(), { metadata: 'x' }, t1, owner, schemas))).toEqual([
      { field: 'metadata', message: 'must be a JSON object' },
    ]);
    expect(schemas.checked).toEqual([]);
  });
});

describe('declared metadata schemas, in the use cases', () => {
  const setUp = () => {
    const repository = new InMemoryUserProfileRepository();
    const clock = new FixedClock();
    const schemas = new RequirePlan();
    return {
      repository,
      create: new CreateUserProfile(repository, clock, new SequentialIds(), schemas),
      update: new UpdateUserProfile(repository, clock, schemas),
      patch: new PatchUserProfile(repository, clock, schemas),
      get: new GetUserProfile(repository, clock),
    };
  };

  it('refuses a create against the schema and stores nothing', async () => {
    const s = setUp();
    await expect(
      s.create.execute(OPEN_ACCESS, { ...input, metadata: { plan: 7 } }),
    ).rejects.toBeInstanceOf(ValidationFailed);
    expect((await s.repository.list({ limit: 10 })).items).toEqual([]);
  });

  it('refuses a PUT or PATCH against the schema and leaves the stored profile as it was', async () => {
    const s = setUp();
    const p = await s.create.execute(OPEN_ACCESS, { ...input, metadata: { plan: 'pro' } });
    const ada = userActor(p.userId, false);
    await expect(
      s.patch.execute(ada, p.userId, { lastName: 'King', metadata: { plan: null } }),
    ).rejects.toBeInstanceOf(ValidationFailed);
    await expect(
      s.update.execute(ada, p.userId, { lastName: 'King', metadata: { theme: 'dark' } }),
    ).rejects.toBeInstanceOf(ValidationFailed);
    expect(await s.get.execute(ada, p.userId)).toEqual(p);
  });

  it('reads a profile stored before a stricter schema, and changes its other fields', async () => {
    const s = setUp();
    const old = newUserProfile({ ...input, metadata: { legacy: 1 } }, { userId, now: t0 });
    await s.repository.create(old);
    const ada = userActor(userId, false);
    expect((await s.get.execute(ada, userId)).metadata).toEqual({ legacy: 1 });
    const changed = await s.patch.execute(ada, userId, { lastName: 'King' });
    expect(changed).toMatchObject({ lastName: 'King', metadata: { legacy: 1 }, version: 2 });
  });
});

import { OPEN_ACCESS, userActor, type Actor } from '../actor';
import {
  AccountSuspended,
  EmailAlreadyTaken,
  Forbidden,
  ProfileAlreadyExists,
  ProfileNotFound,
  ValidationFailed,
} from '../errors';
import { testUserId } from '../testing';
import { profileInput, useCases } from './use-case-fixture';

const ada = userActor(testUserId(101), false, 'Ada@Example.com');
const bob = userActor(testUserId(102), false, 'bob@example.com');
const admin = userActor(testUserId(900), true);

const input = profileInput;

async function withAdasProfile() {
  const s = useCases();
  const profile = await s.create.execute(ada, input('ada@example.com'));
  return { ...s, profile };
}

describe('a signed-in user', () => {
  it('creates a profile whose id is their subject', async () => {
    const { profile } = await withAdasProfile();
    expect(profile.userId).toBe(ada.subject);
  });

  it('creates their own profile once: a second create is a conflict', async () => {
    const s = await withAdasProfile();
    await expect(s.create.execute(ada, input('ada@example.com'))).rejects.toBeInstanceOf(
      ProfileAlreadyExists,
    );
    expect((await s.list.execute(admin)).items).toHaveLength(1);
  });

  it('reads, replaces, patches and deletes their own profile', async () => {
    const s = await withAdasProfile();
    const id = s.profile.userId;
    await expect(s.get.execute(ada, id)).resolves.toEqual(s.profile);
    await expect(s.update.execute(ada, id, { firstName: 'Augusta' })).resolves.toMatchObject({
      firstName: 'Augusta',
    });
    await expect(s.patch.execute(ada, id, { lastName: 'King' })).resolves.toMatchObject({
      lastName: 'King',
    });
    await s.remove.execute(ada, id);
    await expect(s.get.execute(admin, id)).rejects.toBeInstanceOf(ProfileNotFound);
  });

  it.each<
    [string, (s: Awaited<ReturnType<typeof withAdasProfile>>, id: string) => Promise<unknown>]
  >([
    ['read', (s, id) => s.get.execute(bob, id)],
    ['update', (s, id) => s.update.execute(bob, id, { firstName: 'Mallory' })],
    ['patch', (s, id) => s.patch.execute(bob, id, { firstName: 'Mallory' })],
    ['delete', (s, id) => s.remove.execute(bob, id)],
  ])('cannot %s another user’s profile, which looks as if it did not exist', async (_, act) => {
    const s = await withAdasProfile();
    const existing = act(s, s.profile.userId);
    const missing = act(s, testUserId(555));
    await expect(existing).rejects.toBeInstanceOf(ProfileNotFound);
    await expect(missing).rejects.toBeInstanceOf(ProfileNotFound);
    // Same error, same code: the answer does not tell whether the profile exists.
    await expect(s.get.execute(admin, s.profile.userId)).resolves.toEqual(s.profile);
  });

  it('may neither list nor find profiles by e-mail', async () => {
    const s = await withAdasProfile();
    await expect(s.list.execute(ada)).rejects.toBeInstanceOf(Forbidden);
    await expect(s.find.execute(ada, 'ada@example.com')).rejects.toBeInstanceOf(Forbidden);
  });

  it('cannot replay another user’s idempotent create by sending the same key and body', async () => {
    const s = useCases();
    const first = await s.create.executeIdempotently(ada, input('ada@example.com'), 'k-1');
    const retry = await s.create.executeIdempotently(ada, input('ada@example.com'), 'k-1');
    expect(retry).toEqual({ profile: first.profile, replayed: true });
    // Bob's request with Ada's key and body is his own create: Ada's address is not his, and
    // the answer is the one any address but his gets, leaking nothing.
    await expect(
      s.create.executeIdempotently(bob, input('ada@example.com'), 'k-1'),
    ).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      errors: [{ field: 'email', message: 'must be the verified e-mail address of your sign-in' }],
    });
  });

  it('whose subject is not a profile id cannot create a profile', async () => {
    await expect(
      useCases().create.execute(userActor('not-a-uuid'), input('ada@example.com')),
    ).rejects.toBeInstanceOf(Forbidden);
  });
});

describe('an admin', () => {
  it.each<[string, Actor]>([
    ['an admin', admin],
    ['the open API caller', OPEN_ACCESS],
  ])('%s reads, changes, lists, finds and deletes any profile', async (_, actor) => {
    const s = await withAdasProfile();
    const id = s.profile.userId;
    await expect(s.get.execute(actor, id)).resolves.toEqual(s.profile);
    await expect(s.find.execute(actor, 'ADA@example.com')).resolves.toEqual(s.profile);
    expect((await s.list.execute(actor)).items).toEqual([s.profile]);
    await expect(s.patch.execute(actor, id, { firstName: 'Augusta' })).resolves.toMatchObject({
      firstName: 'Augusta',
    });
    await expect(s.update.execute(actor, id, { lastName: 'King' })).resolves.toMatchObject({
      lastName: 'King',
    });
    await s.remove.execute(actor, id);
    expect((await s.list.execute(actor)).items).toEqual([]);
  });

  it('creates their own profile under their subject; the open API caller gets a new id', async () => {
    const s = useCases();
    expect((await s.create.execute(admin, input('root@example.com'))).userId).toBe(admin.subject);
    expect((await s.create.execute(OPEN_ACCESS, input('anon@example.com'))).userId).toBe(
      testUserId(1),
    );
  });
});

describe('blocking (suspension)', () => {
  it("is the administrators' field: the owner can neither block nor unblock themselves", async () => {
    const s = await withAdasProfile();
    const id = s.profile.userId;
    for (const change of [
      () => s.update.execute(ada, id, { blocked: false }),
      () => s.patch.execute(ada, id, { blocked: true, firstName: 'A' }),
    ]) {
      await expect(change()).rejects.toMatchObject({
        errors: [{ field: 'blocked', message: 'may be changed by administrators only' }],
      });
    }
    await expect(s.patch.execute(admin, id, { blocked: null })).rejects.toBeInstanceOf(
      ValidationFailed,
    );
    expect((await s.get.execute(ada, id)).blocked).toBe(false);
  });

  it('leaves a blocked user reading and deleting their profile, and nothing else', async () => {
    const s = await withAdasProfile();
    const id = s.profile.userId;
    const blocked = await s.patch.execute(admin, id, { blocked: true });
    // A suspension of the subject (reason OTHER), not a change of the profile.
    expect(blocked).toMatchObject({
      blocked: true,
      active: true,
      version: 1,
      suspension: { reason: 'OTHER', suspendedBy: admin.subject },
    });
    await expect(s.get.execute(ada, id)).resolves.toEqual(blocked);
    await expect(s.update.execute(ada, id, { active: false })).rejects.toBeInstanceOf(
      AccountSuspended,
    );
    await expect(s.patch.execute(ada, id, { firstName: 'X' })).rejects.toEqual(
      new AccountSuspended(id),
    );
    expect(await s.get.execute(admin, id)).toEqual(blocked);
    // Administrators still change it, and unblock.
    expect((await s.update.execute(admin, id, { blocked: false })).blocked).toBe(false);
    expect((await s.patch.execute(ada, id, { firstName: 'Free' })).firstName).toBe('Free');
    await s.patch.execute(admin, id, { blocked: true });
    await s.remove.execute(ada, id);
    await expect(s.get.execute(admin, id)).rejects.toBeInstanceOf(ProfileNotFound);
  });
});

describe("a signed-in user's e-mail is their verified one", () => {
  const NOT_YOURS = [
    { field: 'email', message: 'must be the verified e-mail address of your sign-in' },
  ];

  it('is taken from the credential when the create leaves it out', async () => {
    const s = useCases();
    const { email: _e, ...noEmail } = input('x@example.com');
    expect((await s.create.execute(ada, noEmail)).email).toBe('ada@example.com');
  });

  it("refuses any other address alike, whether or not it is someone's (no enumeration)", async () => {
    const s = useCases();
    await s.create.execute(OPEN_ACCESS, input('taken@example.com'));
    const answers = [];
    for (const email of ['taken@example.com', 'free@example.com']) {
      answers.push(await s.create.execute(ada, input(email)).catch((e: unknown) => e));
    }
    expect(answers).toEqual([new ValidationFailed(NOT_YOURS), new ValidationFailed(NOT_YOURS)]);
    const profile = await s.create.execute(ada, input('ada@example.com'));
    for (const email of ['taken@example.com', 'free@example.com', 'bob@example.com']) {
      for (const change of [s.update, s.patch]) {
        await expect(change.execute(ada, profile.userId, { email })).rejects.toEqual(
          new ValidationFailed(NOT_YOURS),
        );
      }
    }
  });

  it('names every problem of a body in one answer, the e-mail included', async () => {
    await expect(
      useCases().create.execute(ada, { email: 'someone@example.com', firstName: 7, lastName: 'L' }),
    ).rejects.toEqual(
      new ValidationFailed([...NOT_YOURS, { field: 'firstName', message: 'must be a string' }]),
    );
  });

  it('cannot be set without one: a credential with no verified e-mail cannot create', async () => {
    const s = useCases();
    const unverified = userActor(testUserId(103));
    await expect(s.create.execute(unverified, input('carol@example.com'))).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      errors: [{ field: 'email', message: expect.stringMatching(/carries none/) }],
    });
    // With a profile, such a credential still changes the other fields, never the address.
    const created = await s.create.execute(
      userActor(testUserId(103), false, 'carol@example.com'),
      input('carol@example.com'),
    );
    expect((await s.patch.execute(unverified, created.userId, { firstName: 'C' })).email).toBe(
      'carol@example.com',
    );
    await expect(
      s.patch.execute(unverified, created.userId, { email: 'carol@example.com' }),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });

  /** Ada's credential for `email`, issued `at` (an ISO time). */
  const adaAt = (email: string, at: string) => userActor(ada.subject!, false, email, new Date(at));

  it('is never changed by a read, whatever address the credential carries', async () => {
    const s = await withAdasProfile();
    const moved = adaAt('ada.new@example.com', '2026-01-01T01:00:00Z');
    expect(await s.get.execute(moved, s.profile.userId)).toEqual(s.profile);
    expect(await s.get.execute(admin, s.profile.userId)).toEqual(s.profile);
  });

  it('follows a change made at the identity provider with the next write, as of the token', async () => {
    const s = await withAdasProfile();
    const moved = adaAt('ada.new@example.com', '2026-01-01T01:00:00Z');
    const next = await s.patch.execute(moved, s.profile.userId, { firstName: 'Augusta' });
    expect(next).toMatchObject({
      email: 'ada.new@example.com',
      emailChangedAt: '2026-01-01T01:00:00.000Z',
      version: 2,
    });
    expect(await s.find.execute(admin, 'ada@example.com')).toBeUndefined();
  });

  it('is never moved back by a token issued before its last change', async () => {
    const s = await withAdasProfile();
    const old = adaAt('ada@example.com', '2026-01-01T00:30:00Z');
    const moved = adaAt('ada.new@example.com', '2026-01-01T01:00:00Z');
    await s.update.execute(moved, s.profile.userId, { email: 'ada.new@example.com' });
    // The older token still changes the rest, and leaves the address.
    const after = await s.patch.execute(old, s.profile.userId, { lastName: 'King' });
    expect(after).toMatchObject({ email: 'ada.new@example.com', lastName: 'King', version: 3 });
    // Naming its address outright is refused, and changes nothing.
    await expect(
      s.update.execute(old, s.profile.userId, { email: 'ada@example.com', lastName: 'Byron' }),
    ).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      errors: [{ field: 'email', message: expect.stringMatching(/issued before/) }],
    });
    expect(await s.get.execute(admin, s.profile.userId)).toEqual(after);
    // A token of unknown age is no newer than anything.
    const ageless = userActor(ada.subject!, false, 'ada@example.com');
    expect((await s.patch.execute(ageless, s.profile.userId, { firstName: 'A' })).email).toBe(
      'ada.new@example.com',
    );
  });

  it("is not moved back past an administrator's change by a token issued before it", async () => {
    const s = await withAdasProfile();
    s.clock.advance(60 * 60_000); // 01:00
    await s.patch.execute(admin, s.profile.userId, { email: 'set-by-admin@example.com' });
    const before = adaAt('ada@example.com', '2026-01-01T00:59:59Z');
    const after = adaAt('ada@example.com', '2026-01-01T01:00:01Z');
    expect((await s.patch.execute(before, s.profile.userId, { firstName: 'B' })).email).toBe(
      'set-by-admin@example.com',
    );
    expect((await s.patch.execute(after, s.profile.userId, { firstName: 'C' })).email).toBe(
      'ada@example.com',
    );
  });

  it('is left as it is by a read when the new address is claimed by another profile', async () => {
    const s = await withAdasProfile();
    await s.create.execute(admin, input('claimed@example.com')); // the admin's own profile
    const moved = adaAt('claimed@example.com', '2026-01-01T01:00:00Z');
    expect(await s.get.execute(moved, s.profile.userId)).toEqual(s.profile);
    await expect(
      s.patch.execute(moved, s.profile.userId, { firstName: 'X' }),
    ).rejects.toBeInstanceOf(EmailAlreadyTaken);
  });

  it('binds no administrator and no open-API caller', async () => {
    const s = await withAdasProfile();
    const changed = await s.patch.execute(admin, s.profile.userId, {
      email: 'set-by-admin@example.com',
    });
    expect(changed.email).toBe('set-by-admin@example.com');
    expect((await s.create.execute(OPEN_ACCESS, input('anyone@example.com'))).email).toBe(
      'anyone@example.com',
    );
  });
});

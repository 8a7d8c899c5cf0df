import { OPEN_ACCESS } from '../actor';
import {
  EmailAlreadyTaken,
  IdempotencyKeyReused,
  ProfileNotFound,
  ValidationFailed,
  VersionConflict,
} from '../errors';
import { InMemoryUserProfileRepository, testUserId } from '../testing';
import type { UserProfile } from '../user-profile';
import { IDEMPOTENCY_TTL_MS } from './create-user-profile';
import { profileInput, useCases } from './use-case-fixture';

const input = profileInput;

describe('CreateUserProfile', () => {
  it('stores a new profile with a generated id and the clock time', async () => {
    const s = useCases();
    const p = await s.create.execute(OPEN_ACCESS, input('ada@example.com'));
    expect(p).toMatchObject({
      userId: testUserId(1),
      createdAt: '2026-01-01T00:00:00.000Z',
      version: 1,
    });
    expect(await s.get.execute(OPEN_ACCESS, p.userId)).toEqual(p);
  });

  it('refuses an e-mail that is taken in another case', async () => {
    const s = useCases();
    await s.create.execute(OPEN_ACCESS, input('ada@example.com'));
    await expect(s.create.execute(OPEN_ACCESS, input('ADA@example.com'))).rejects.toBeInstanceOf(
      EmailAlreadyTaken,
    );
  });

  it('refuses invalid input without writing anything', async () => {
    const s = useCases();
    await expect(s.create.execute(OPEN_ACCESS, { email: 'bad' })).rejects.toBeInstanceOf(
      ValidationFailed,
    );
    expect((await s.list.execute(OPEN_ACCESS)).items).toEqual([]);
  });
});

describe('CreateUserProfile with an idempotency key', () => {
  it('answers a retry with the original profile instead of a conflict on its own e-mail', async () => {
    const s = useCases();
    const first = await s.create.executeIdempotently(
      OPEN_ACCESS,
      input('ada@example.com'),
      'key-1',
    );
    s.clock.advance(60_000);
    const retry = await s.create.executeIdempotently(
      OPEN_ACCESS,
      input(' ADA@example.com'),
      'key-1',
    );
    expect(first.replayed).toBe(false);
    expect(retry).toEqual({ profile: first.profile, replayed: true });
    expect((await s.list.execute(OPEN_ACCESS)).items).toHaveLength(1);
  });

  it('refuses the same key with a different body', async () => {
    const s = useCases();
    await s.create.executeIdempotently(OPEN_ACCESS, input('ada@example.com'), 'key-1');
    await expect(
      s.create.executeIdempotently(OPEN_ACCESS, input('bob@example.com'), 'key-1'),
    ).rejects.toBeInstanceOf(IdempotencyKeyReused);
  });

  it('forgets a key after 24 hours', async () => {
    const s = useCases();
    await s.create.executeIdempotently(OPEN_ACCESS, input('ada@example.com'), 'key-1');
    s.clock.advance(IDEMPOTENCY_TTL_MS + 1);
    const later = await s.create.executeIdempotently(
      OPEN_ACCESS,
      input('bob@example.com'),
      'key-1',
    );
    expect(later).toMatchObject({ replayed: false, profile: { email: 'bob@example.com' } });
  });

  it('lets concurrent retries with one key create one profile and answer it to all', async () => {
    const s = useCases();
    const results = await Promise.all(
      Array.from({ length: 5 }, () =>
        s.create.executeIdempotently(OPEN_ACCESS, input('ada@example.com'), 'same'),
      ),
    );
    expect(new Set(results.map((r) => r.profile.userId)).size).toBe(1);
    expect(results.filter((r) => !r.replayed)).toHaveLength(1);
  });

  it('takes any key as opaque, of 1 to 255 characters', async () => {
    const s = useCases();
    const first = await s.create.executeIdempotently(
      OPEN_ACCESS,
      input('ada@example.com'),
      'ünï k',
    );
    const again = await s.create.executeIdempotently(
      OPEN_ACCESS,
      input('ada@example.com'),
      'ünï k',
    );
    expect(again).toEqual({ profile: first.profile, replayed: true });
  });

  it.each(['', 'x'.repeat(256)])('refuses the key %j', async (key) => {
    await expect(
      useCases().create.executeIdempotently(OPEN_ACCESS, input('ada@example.com'), key),
    ).rejects.toMatchObject({
      errors: [{ field: 'idempotencyKey' }],
    });
  });
});

describe('GetUserProfile', () => {
  it('reports an unknown or impossible id as not found', async () => {
    const s = useCases();
    await expect(s.get.execute(OPEN_ACCESS, testUserId(5))).rejects.toBeInstanceOf(ProfileNotFound);
    await expect(s.get.execute(OPEN_ACCESS, 'EMAIL#ada@example.com')).rejects.toBeInstanceOf(
      ProfileNotFound,
    );
  });
});

describe('FindUserProfileByEmail', () => {
  it('finds the owner case-insensitively and answers undefined for a free address', async () => {
    const s = useCases();
    const p = await s.create.execute(OPEN_ACCESS, input('ada@example.com'));
    expect(await s.find.execute(OPEN_ACCESS, ' Ada@Example.COM ')).toEqual(p);
    expect(await s.find.execute(OPEN_ACCESS, 'free@example.com')).toBeUndefined();
  });

  it('rejects a malformed address', async () => {
    await expect(useCases().find.execute(OPEN_ACCESS, 'not-an-email')).rejects.toBeInstanceOf(
      ValidationFailed,
    );
  });
});

describe('ListUserProfiles', () => {
  it('defaults to 20 per page, newest first', async () => {
    const s = useCases();
    for (let i = 0; i < 25; i++) {
      await s.create.execute(OPEN_ACCESS, input(`u${i}@example.com`));
      s.clock.advance(1000);
    }
    const page = await s.list.execute(OPEN_ACCESS);
    expect(page.items).toHaveLength(20);
    expect(page.items[0]?.email).toBe('u24@example.com');
    const rest = await s.list.execute(OPEN_ACCESS, { cursor: page.cursor });
    expect(rest.items.map((p) => p.email).at(-1)).toBe('u0@example.com');
    expect(rest.cursor).toBeUndefined();
  });

  it.each([0, 101, 1.5, Number.NaN])('rejects limit %p', async (limit) => {
    await expect(useCases().list.execute(OPEN_ACCESS, { limit })).rejects.toMatchObject({
      errors: [{ field: 'limit' }],
    });
  });

  it('rejects an empty cursor', async () => {
    await expect(useCases().list.execute(OPEN_ACCESS, { cursor: '' })).rejects.toMatchObject({
      errors: [{ field: 'cursor' }],
    });
  });
});

describe('UpdateUserProfile', () => {
  it('replaces given fields and keeps the others', async () => {
    const s = useCases();
    const p = await s.create.execute(OPEN_ACCESS, {
      ...input('ada@example.com'),
      phoneNumber: '+441234567890',
    });
    s.clock.advance(5000);
    const next = await s.update.execute(OPEN_ACCESS, p.userId, { lastName: 'King' });
    expect(next).toEqual({
      ...p,
      lastName: 'King',
      version: 2,
      updatedAt: '2026-01-01T00:00:05.000Z',
    });
    expect(await s.get.execute(OPEN_ACCESS, p.userId)).toEqual(next);
  });

  it('never creates: an unknown id is not found and stays absent', async () => {
    const s = useCases();
    await expect(
      s.update.execute(OPEN_ACCESS, testUserId(9), { firstName: 'X' }),
    ).rejects.toBeInstanceOf(ProfileNotFound);
    expect((await s.list.execute(OPEN_ACCESS)).items).toEqual([]);
  });

  it('refuses a stale expected version and changes nothing', async () => {
    const s = useCases();
    const p = await s.create.execute(OPEN_ACCESS, input('ada@example.com'));
    await s.update.execute(OPEN_ACCESS, p.userId, { firstName: 'B' }, 1);
    await expect(
      s.update.execute(OPEN_ACCESS, p.userId, { firstName: 'C' }, 1),
    ).rejects.toBeInstanceOf(VersionConflict);
    expect((await s.get.execute(OPEN_ACCESS, p.userId)).firstName).toBe('B');
  });

  it('deactivates and reactivates a profile', async () => {
    const s = useCases();
    const p = await s.create.execute(OPEN_ACCESS, input('ada@example.com'));
    expect((await s.update.execute(OPEN_ACCESS, p.userId, { active: false })).active).toBe(false);
    expect((await s.update.execute(OPEN_ACCESS, p.userId, { active: true })).active).toBe(true);
    expect((await s.get.execute(OPEN_ACCESS, p.userId)).version).toBe(3);
  });

  it('does not write when nothing changes', async () => {
    const s = useCases();
    const p = await s.create.execute(OPEN_ACCESS, input('ada@example.com'));
    expect(await s.update.execute(OPEN_ACCESS, p.userId, { firstName: 'Ada' })).toEqual(p);
  });

  it('refuses an e-mail owned by another profile', async () => {
    const s = useCases();
    await s.create.execute(OPEN_ACCESS, input('ada@example.com'));
    const b = await s.create.execute(OPEN_ACCESS, input('bob@example.com'));
    await expect(
      s.update.execute(OPEN_ACCESS, b.userId, { email: 'Ada@example.com' }),
    ).rejects.toBeInstanceOf(EmailAlreadyTaken);
  });

  it('retries a blind update that lost a race, so no concurrent change is overwritten', async () => {
    const inner = new InMemoryUserProfileRepository();
    let raced = false;
    const racing = Object.assign(Object.create(inner) as InMemoryUserProfileRepository, {
      async update(previous: UserProfile, next: UserProfile) {
        if (!raced) {
          raced = true;
          await inner.update(previous, {
            ...previous,
            lastName: 'Concurrent',
            version: previous.version + 1,
          });
        }
        return inner.update(previous, next);
      },
    });
    const s = useCases(racing);
    const p = await s.create.execute(OPEN_ACCESS, input('ada@example.com'));
    const next = await s.update.execute(OPEN_ACCESS, p.userId, { firstName: 'Mine' });
    expect(next).toMatchObject({ firstName: 'Mine', lastName: 'Concurrent', version: 3 });
  });

  it('gives up after three lost races with a version conflict', async () => {
    const inner = new InMemoryUserProfileRepository();
    let attempts = 0;
    const alwaysLosing = Object.assign(Object.create(inner) as InMemoryUserProfileRepository, {
      async update(previous: UserProfile) {
        attempts++;
        throw new VersionConflict(previous.userId);
      },
    });
    const s = useCases(alwaysLosing);
    const p = await s.create.execute(OPEN_ACCESS, input('ada@example.com'));
    await expect(
      s.update.execute(OPEN_ACCESS, p.userId, { firstName: 'X' }),
    ).rejects.toBeInstanceOf(VersionConflict);
    expect(attempts).toBe(3);
  });
});

describe('PatchUserProfile', () => {
  it('applies a merge patch with the same not-found and version rules', async () => {
    const s = useCases();
    const p = await s.create.execute(OPEN_ACCESS, {
      ...input('ada@example.com'),
      metadata: { a: 1, b: 2 },
    });
    const next = await s.patch.execute(OPEN_ACCESS, p.userId, { metadata: { a: null } }, 1);
    expect(next.metadata).toEqual({ b: 2 });
    await expect(
      s.patch.execute(OPEN_ACCESS, p.userId, { firstName: 'X' }, 1),
    ).rejects.toBeInstanceOf(VersionConflict);
    await expect(
      s.patch.execute(OPEN_ACCESS, testUserId(77), { firstName: 'X' }),
    ).rejects.toBeInstanceOf(ProfileNotFound);
  });
});

describe('DeleteUserProfile', () => {
  it('deletes the profile and frees the e-mail for a new profile', async () => {
    const s = useCases();
    const p = await s.create.execute(OPEN_ACCESS, input('ada@example.com'));
    await s.remove.execute(OPEN_ACCESS, p.userId);
    await expect(s.get.execute(OPEN_ACCESS, p.userId)).rejects.toBeInstanceOf(ProfileNotFound);
    await expect(s.create.execute(OPEN_ACCESS, input('ada@example.com'))).resolves.toMatchObject({
      email: 'ada@example.com',
    });
  });

  it('reports an absent profile as not found and honours the expected version', async () => {
    const s = useCases();
    await expect(s.remove.execute(OPEN_ACCESS, testUserId(3))).rejects.toBeInstanceOf(
      ProfileNotFound,
    );
    const p = await s.create.execute(OPEN_ACCESS, input('ada@example.com'));
    await expect(s.remove.execute(OPEN_ACCESS, p.userId, 2)).rejects.toBeInstanceOf(
      VersionConflict,
    );
    expect(await s.get.execute(OPEN_ACCESS, p.userId)).toEqual(p);
  });
});

import {
  EmailAlreadyTaken,
  IdempotencyKeyInUse,
  ProfileAlreadyExists,
  ProfileNotFound,
  ValidationFailed,
  VersionConflict,
} from '../errors';
import type { UserProfileRepository } from '../ports';
import fc from 'fast-check';
import {
  applyUpdate,
  applyMergePatch,
  newUserProfile,
  withPhoto,
  type UserProfile,
} from '../user-profile';
import { withSuspension, withoutSuspension } from '../suspension';
import { testUserId } from './fakes';
import { describeProfileExtensionsContract } from './profile-extensions.contract';

/** Makes a fresh, empty repository for one test; `dispose` (optional) cleans up after it. */
export type RepositoryFactory = () => Promise<{
  repository: UserProfileRepository;
  dispose?: () => Promise<void>;
}>;

/**
 * The behaviour every `UserProfileRepository` must have. Each adapter runs this same suite, so the
 * in-memory fake cannot drift from the real store.
 */
export function describeUserProfileRepositoryContract(
  name: string,
  factory: RepositoryFactory,
): void {
  describeProfileExtensionsContract(name, factory);
  describe(`UserProfileRepository contract: ${name}`, () => {
    let repo: UserProfileRepository;
    let dispose: (() => Promise<void>) | undefined;
    let seq = 0;

    beforeEach(async () => {
      ({ repository: repo, dispose } = await factory());
    });
    afterEach(async () => {
      await dispose?.();
    });

    const at = (second: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, second));
    function aProfile(email: string, createdSecond = 0): UserProfile {
      seq += 1;
      return newUserProfile(
        {
          email,
          firstName: 'Ada',
          lastName: `Lovelace ${seq}`,
          metadata: { n: seq, deep: { list: [1, 'two', null] } },
        },
        { userId: testUserId(seq), now: at(createdSecond) },
      );
    }
    const change = (p: UserProfile, changes: object) => applyUpdate(p, changes, at(3600));

    it('returns a created profile exactly as it was stored', async () => {
      const p = aProfile('ada@example.com');
      await repo.create(p);
      expect(await repo.get(p.userId)).toEqual(p);
    });

    it('returns undefined for an unknown id or e-mail', async () => {
      expect(await repo.get(testUserId(999_999))).toBeUndefined();
      expect(await repo.findByEmail('nobody@example.com')).toBeUndefined();
    });

    it('finds a profile by e-mail right after it was created', async () => {
      const p = aProfile('Grace@Example.com');
      await repo.create(p);
      expect(await repo.findByEmail('grace@example.com')).toEqual(p);
    });

    it('rejects a second profile with the same e-mail, whatever its case, and stores nothing', async () => {
      const first = aProfile('same@example.com');
      await repo.create(first);
      const second = aProfile('SAME@Example.COM');
      await expect(repo.create(second)).rejects.toBeInstanceOf(EmailAlreadyTaken);
      expect(await repo.get(second.userId)).toBeUndefined();
      expect(await repo.findByEmail('same@example.com')).toEqual(first);
    });

    it('rejects a create that reuses an id and keeps the stored profile', async () => {
      const p = aProfile('one@example.com');
      await repo.create(p);
      const clash = { ...aProfile('two@example.com'), userId: p.userId };
      await expect(repo.create(clash)).rejects.toBeInstanceOf(ProfileAlreadyExists);
      expect(await repo.get(p.userId)).toEqual(p);
      expect(await repo.findByEmail('two@example.com')).toBeUndefined();
    });

    it('updates a profile when the expected version matches', async () => {
      const p = aProfile('up@example.com');
      await repo.create(p);
      const next = change(p, { firstName: 'Augusta', phoneNumber: '+441234567890' });
      await repo.update(p, next);
      expect(await repo.get(p.userId)).toEqual(next);
      expect(next.version).toBe(2);
    });

    it('stores a photo with an update, and removes it with the next', async () => {
      const p = aProfile('photo@example.com');
      await repo.create(p);
      const withOne = withPhoto(
        p,
        { id: testUserId(999), updatedAt: at(60).toISOString() },
        at(60),
      );
      await repo.update(p, withOne);
      expect(await repo.get(p.userId)).toEqual(withOne);
      expect((await repo.list({ limit: 10 })).items).toEqual([withOne]);
      const without = withPhoto(withOne, undefined, at(120));
      await repo.update(withOne, without);
      expect(await repo.get(p.userId)).toEqual(without);
      expect(without).not.toHaveProperty('photo');
    });

    it('refuses an update from a stale version and changes nothing', async () => {
      const p = aProfile('stale@example.com');
      await repo.create(p);
      const v2 = change(p, { firstName: 'Second' });
      await repo.update(p, v2);
      await expect(repo.update(p, change(p, { firstName: 'Lost' }))).rejects.toBeInstanceOf(
        VersionConflict,
      );
      expect(await repo.get(p.userId)).toEqual(v2);
    });

    it('never creates on update: an absent profile is not found and stays absent', async () => {
      const ghost = aProfile('ghost@example.com');
      await expect(repo.update(ghost, change(ghost, { firstName: 'Boo' }))).rejects.toBeInstanceOf(
        ProfileNotFound,
      );
      expect(await repo.get(ghost.userId)).toBeUndefined();
      expect(await repo.findByEmail('ghost@example.com')).toBeUndefined();
    });

    it('moves the e-mail claim when the address changes', async () => {
      const p = aProfile('old@example.com');
      await repo.create(p);
      const next = change(p, { email: 'new@example.com' });
      await repo.update(p, next);
      expect(await repo.findByEmail('new@example.com')).toEqual(next);
      expect(await repo.findByEmail('old@example.com')).toBeUndefined();
      const reuse = aProfile('old@example.com');
      await repo.create(reuse);
      expect(await repo.findByEmail('old@example.com')).toEqual(reuse);
    });

    it('refuses to move an e-mail onto one that is taken and changes nothing', async () => {
      const a = aProfile('a@example.com');
      const b = aProfile('b@example.com');
      await repo.create(a);
      await repo.create(b);
      await expect(repo.update(b, change(b, { email: 'a@example.com' }))).rejects.toBeInstanceOf(
        EmailAlreadyTaken,
      );
      expect(await repo.get(b.userId)).toEqual(b);
      expect(await repo.findByEmail('a@example.com')).toEqual(a);
      expect(await repo.findByEmail('b@example.com')).toEqual(b);
    });

    it('deletes a profile and frees its e-mail', async () => {
      const p = aProfile('bye@example.com');
      await repo.create(p);
      await repo.delete(p);
      expect(await repo.get(p.userId)).toBeUndefined();
      expect(await repo.findByEmail('bye@example.com')).toBeUndefined();
      await repo.create(aProfile('bye@example.com'));
    });

    it('refuses a delete from a stale version and keeps the profile', async () => {
      const p = aProfile('keep@example.com');
      await repo.create(p);
      const v2 = change(p, { lastName: 'Byron' });
      await repo.update(p, v2);
      await expect(repo.delete(p)).rejects.toBeInstanceOf(VersionConflict);
      expect(await repo.get(p.userId)).toEqual(v2);
      expect(await repo.findByEmail('keep@example.com')).toEqual(v2);
    });

    it('reports deleting an absent profile as not found', async () => {
      await expect(repo.delete(aProfile('none@example.com'))).rejects.toBeInstanceOf(
        ProfileNotFound,
      );
    });

    it('lists newest first in pages of exactly `limit`, with a cursor until the last page', async () => {
      const created: UserProfile[] = [];
      for (let i = 0; i < 7; i++) {
        const p = aProfile(`list${i}@example.com`, i % 3 === 0 ? 10 : i); // ties on createdAt too
        await repo.create(p);
        created.push(p);
      }
      const expected = [...created].sort((x, y) =>
        `${y.createdAt}#${y.userId}`.localeCompare(`${x.createdAt}#${x.userId}`),
      );
      const pages: UserProfile[][] = [];
      let cursor: string | undefined;
      do {
        const page = await repo.list({ limit: 3, cursor });
        pages.push([...page.items]);
        cursor = page.cursor;
      } while (cursor !== undefined && pages.length < 10);
      expect(pages.map((p) => p.length)).toEqual([3, 3, 1]);
      expect(pages.flat()).toEqual(expected);
    });

    it('ends with no cursor when the last page is exactly full', async () => {
      for (let i = 0; i < 4; i++) await repo.create(aProfile(`full${i}@example.com`, i));
      const first = await repo.list({ limit: 2 });
      expect(first.cursor).toBeDefined();
      const second = await repo.list({ limit: 2, cursor: first.cursor });
      expect(second.items).toHaveLength(2);
      expect(second.cursor).toBeUndefined();
    });

    it('filters by the active flag: pages of at most `limit` give every match once, in order', async () => {
      const created: UserProfile[] = [];
      for (let i = 0; i < 9; i++) {
        const p = aProfile(`flag${i}@example.com`, i);
        await repo.create(p);
        created.push(i % 3 === 0 ? p : await deactivate(p));
      }
      const inactive: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await repo.list({ limit: 2, cursor, active: false });
        expect(page.items.length).toBeLessThanOrEqual(2);
        inactive.push(...page.items.map((p) => p.email));
        cursor = page.cursor;
      } while (cursor);
      expect(inactive).toEqual(
        ['flag8', 'flag7', 'flag5', 'flag4', 'flag2', 'flag1'].map((e) => `${e}@example.com`),
      );
      const active = await repo.list({ limit: 10, active: true });
      expect(active.items.map((p) => p.email)).toEqual([
        'flag6@example.com',
        'flag3@example.com',
        'flag0@example.com',
      ]);
      expect(active.cursor).toBeUndefined();
    });

    async function deactivate(p: UserProfile): Promise<UserProfile> {
      const next = change(p, { active: false });
      await repo.update(p, next);
      return next;
    }

    it('records an idempotent create with the profile, atomically, until it expires', async () => {
      const p = aProfile('idem@example.com');
      const record = {
        key: `key-${seq}`,
        fingerprint: 'f1',
        profile: p,
        expiresAt: '2026-01-02T00:00:00.000Z',
      };
      await repo.create(p, record);
      expect(await repo.findIdempotencyRecord(record.key, at(60))).toEqual(record);
      expect(
        await repo.findIdempotencyRecord(record.key, new Date('2026-01-02T00:00:00.001Z')),
      ).toBeUndefined();
      expect(await repo.findIdempotencyRecord('never-used', at(60))).toBeUndefined();
    });

    it('refuses a second create with a recorded key and stores none of it', async () => {
      const first = aProfile('first@example.com');
      const record = {
        key: `dup-${seq}`,
        fingerprint: 'f',
        profile: first,
        expiresAt: '2026-01-02T00:00:00.000Z',
      };
      await repo.create(first, record);
      const second = aProfile('second@example.com');
      await expect(repo.create(second, { ...record, profile: second })).rejects.toBeInstanceOf(
        IdempotencyKeyInUse,
      );
      expect(await repo.get(second.userId)).toBeUndefined();
      expect(await repo.findByEmail('second@example.com')).toBeUndefined();
    });

    it('writes no idempotency record when the create fails', async () => {
      await repo.create(aProfile('taken@example.com'));
      const clash = aProfile('taken@example.com');
      const record = {
        key: `fail-${seq}`,
        fingerprint: 'f',
        profile: clash,
        expiresAt: '2026-01-02T00:00:00.000Z',
      };
      await expect(repo.create(clash, record)).rejects.toBeInstanceOf(EmailAlreadyTaken);
      expect(await repo.findIdempotencyRecord(record.key, at(60))).toBeUndefined();
    });

    it('lets an expired key be used again', async () => {
      const old = aProfile('old-key@example.com');
      const record = {
        key: `exp-${seq}`,
        fingerprint: 'f',
        profile: old,
        expiresAt: '2026-01-01T00:00:05.000Z',
      };
      await repo.create(old, record);
      const fresh = aProfile('new-key@example.com', 10);
      await repo.create(fresh, {
        ...record,
        profile: fresh,
        expiresAt: '2026-01-02T00:00:10.000Z',
      });
      expect((await repo.findIdempotencyRecord(record.key, at(20)))?.profile).toEqual(fresh);
    });

    it('erases the record of the create with the profile: nothing of it is replayed', async () => {
      const p = aProfile('erase@example.com');
      const record = {
        key: `erase-${seq}`,
        fingerprint: 'f',
        profile: p,
        expiresAt: '2026-01-02T00:00:00.000Z',
      };
      await repo.create(p, record);
      const changed = change(p, { email: 'erase-2@example.com', metadata: null });
      await repo.update(p, changed);
      expect(await repo.findIdempotencyRecord(record.key, at(60))).toEqual(record);
      await repo.delete(changed);
      expect(await repo.findIdempotencyRecord(record.key, at(60))).toBeUndefined();
      expect(await repo.get(p.userId)).toBeUndefined();
    });

    it("keeps a reused key's record when the first profile made with the key is deleted", async () => {
      const old = aProfile('first-owner@example.com');
      const key = `reused-${seq}`;
      await repo.create(old, {
        key,
        fingerprint: 'f',
        profile: old,
        expiresAt: at(5).toISOString(),
      });
      const fresh = aProfile('second-owner@example.com', 10);
      const freshRecord = {
        key,
        fingerprint: 'g',
        profile: fresh,
        expiresAt: at(99).toISOString(),
      };
      await repo.create(fresh, freshRecord);
      await repo.delete(old);
      expect(await repo.get(old.userId)).toBeUndefined();
      expect(await repo.findIdempotencyRecord(key, at(20))).toEqual(freshRecord);
    });

    it('stores every accepted metadata exactly, whatever its keys are named', async () => {
      // Keys that name Object.prototype members or DynamoDB's type tags are plain data.
      const trickyKey = fc.constantFrom(
        'constructor',
        'prototype',
        'toString',
        'valueOf',
        'hasOwnProperty',
        '__proto__ ',
        '__defineGetter__',
        'name',
        'M',
        'S',
        'NULL',
        'L',
        'BOOL',
        'N',
        'length',
      );
      const key = fc.oneof(trickyKey, fc.string({ minLength: 1, maxLength: 8 }));
      const leaf = fc.oneof(
        fc.string({ maxLength: 12 }),
        fc.boolean(),
        fc.constant(null),
        fc.integer(),
        fc.double({ min: -1e9, max: 1e9, noNaN: true, noDefaultInfinity: true }),
      );
      const { json } = fc.letrec<{ json: unknown }>((tie) => ({
        json: fc.oneof(
          { depthSize: 'small', withCrossShrink: true },
          leaf,
          fc.array(tie('json'), { maxLength: 3 }),
          fc.dictionary(key, tie('json'), { maxKeys: 4 }),
        ),
      }));
      let n = 0;
      await fc.assert(
        fc.asyncProperty(
          fc.dictionary(key, json, { minKeys: 1, maxKeys: 5 }),
          fc.dictionary(key, json, { maxKeys: 3 }),
          async (metadata, patch) => {
            n += 1;
            let p: UserProfile;
            try {
              p = newUserProfile(
                { email: `prop-${seq}-${n}@example.com`, firstName: 'P', lastName: 'Q', metadata },
                { userId: testUserId(100_000 + seq * 1_000 + n), now: at(0) },
              );
            } catch (error) {
              if (error instanceof ValidationFailed) return; // not accepted: nothing to store
              throw error;
            }
            await repo.create(p);
            expect(await repo.get(p.userId)).toEqual(p);
            let next: UserProfile;
            try {
              next = applyMergePatch(p, { metadata: patch }, at(1));
            } catch (error) {
              if (error instanceof ValidationFailed) return;
              throw error;
            }
            if (next === p) return;
            await repo.update(p, next);
            expect(await repo.get(p.userId)).toEqual(next);
          },
        ),
        { numRuns: 60 },
      );
    });

    it('lists nothing from an empty store', async () => {
      expect(await repo.list({ limit: 5 })).toEqual({ items: [] });
    });

    it('rejects a forged or foreign cursor as a validation error', async () => {
      for (const cursor of ['garbage', 'eyJ1c2VySWQiOiJ4In0', '%%%', 'a'.repeat(500)]) {
        await expect(repo.list({ limit: 5, cursor })).rejects.toBeInstanceOf(ValidationFailed);
      }
    });

    it('does not list e-mail claims or anything that is not a profile', async () => {
      await repo.create(aProfile('only@example.com'));
      const page = await repo.list({ limit: 10 });
      expect(page.items.map((p) => p.email)).toEqual(['only@example.com']);
    });

    describe('suspension records', () => {
      const subject = () => testUserId(9000 + ++seq);
      const suspended = (userId: string, second: number, until?: string) =>
        withSuspension(
          undefined,
          userId,
          { reason: 'SPAM', note: 'bulk invitations', ...(until ? { until } : {}) },
          testUserId(999),
          at(second),
        );

      it('stores a record exactly, and none is undefined', async () => {
        const userId = subject();
        expect(await repo.getSuspensions(userId)).toBeUndefined();
        const record = suspended(userId, 10, '2027-01-01T00:00:00.000Z');
        await repo.saveSuspensions(undefined, record);
        expect(await repo.getSuspensions(userId)).toEqual(record);
        const lifted = withoutSuspension(record, testUserId(998), at(20))!;
        await repo.saveSuspensions(record, lifted);
        expect(await repo.getSuspensions(userId)).toEqual(lifted);
        expect(lifted.history).toEqual([
          {
            reason: 'SPAM',
            note: 'bulk invitations',
            until: '2027-01-01T00:00:00.000Z',
            suspendedBy: testUserId(999),
            suspendedAt: at(10).toISOString(),
            liftedBy: testUserId(998),
            liftedAt: at(20).toISOString(),
          },
        ]);
      });

      it('refuses a write from a stale record, or a first write over an existing one', async () => {
        const userId = subject();
        const first = suspended(userId, 10);
        await repo.saveSuspensions(undefined, first);
        await expect(repo.saveSuspensions(undefined, suspended(userId, 11))).rejects.toBeInstanceOf(
          VersionConflict,
        );
        const lifted = withoutSuspension(first, testUserId(998), at(20))!;
        await repo.saveSuspensions(first, lifted);
        await expect(
          repo.saveSuspensions(first, withoutSuspension(first, testUserId(997), at(21))!),
        ).rejects.toBeInstanceOf(VersionConflict);
        expect(await repo.getSuspensions(userId)).toEqual(lifted);
      });

      it('keeps the record when the profile is deleted, and a new profile of the subject finds it', async () => {
        const p = aProfile('suspended@example.com');
        await repo.create(p);
        const record = suspended(p.userId, 10);
        await repo.saveSuspensions(undefined, record);
        await repo.delete(p);
        expect(await repo.get(p.userId)).toBeUndefined();
        expect(await repo.getSuspensions(p.userId)).toEqual(record);
        await repo.create({ ...p, email: 'again@example.com' });
        expect(await repo.getSuspensions(p.userId)).toEqual(record);
      });

      it('lists records not lifted, most recently suspended first, in pages', async () => {
        const ids = [subject(), subject(), subject(), subject()];
        for (const [i, userId] of ids.entries()) {
          await repo.saveSuspensions(undefined, suspended(userId, 100 + i));
        }
        const liftedOne = (await repo.getSuspensions(ids[1]!))!;
        await repo.saveSuspensions(
          liftedOne,
          withoutSuspension(liftedOne, testUserId(998), at(200))!,
        );
        const seen: string[] = [];
        let cursor: string | undefined;
        do {
          const page = await repo.listSuspended({ limit: 2, cursor });
          seen.push(...page.items.map((r) => r.userId));
          cursor = page.cursor;
        } while (cursor);
        expect(seen).toEqual([ids[3], ids[2], ids[0]]);
        // Profiles are no suspension records, nor the other way round.
        expect((await repo.list({ limit: 100 })).items).toEqual([]);
      });
    });
  });
}

import {
  EmailAlreadyTaken,
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
import { testUserId } from './fakes';
import { at, type RepositoryFactory } from './contract-fixture';
import { describeIdempotentCreateContract } from './idempotent-create.contract';
import { describeProfileExtensionsContract } from './profile-extensions.contract';
import { describeSuspensionRecordsContract } from './suspension-records.contract';

export type { RepositoryFactory };

/**
 * The behaviour every `UserProfileRepository` must have. Each adapter runs this same suite, so the
 * in-memory fake cannot drift from the real store.
 */
export function describeUserProfileRepositoryContract(
  name: string,
  factory: RepositoryFactory,
): void {
  describeProfileExtensionsContract(name, factory);
  describeIdempotentCreateContract(name, factory);
  describeSuspensionRecordsContract(name, factory);
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
  });
}

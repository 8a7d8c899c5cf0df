import fc from 'fast-check';
import { EmailAlreadyTaken, UsernameTaken, ValidationFailed, VersionConflict } from '../errors';
import type { UserProfileRepository } from '../ports';
import { withSuspension } from '../suspension';
import { applyMergePatch, applyUpdate, newUserProfile, type UserProfile } from '../user-profile';
import { testUserId } from './fakes';

type Factory = () => Promise<{ repository: UserProfileRepository; dispose?: () => Promise<void> }>;

const at = (second: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, second));
const admin = { admin: true };

/**
 * Handles, batch reads and the metadata tiers, as every repository must store them: part of the
 * repository contract (`describeUserProfileRepositoryContract` runs it).
 */
export function describeProfileExtensionsContract(name: string, factory: Factory): void {
  describe(`handles, batch reads and tiers: ${name}`, () => {
    let repo: UserProfileRepository;
    let dispose: (() => Promise<void>) | undefined;
    let seq = 50_000;
    beforeEach(async () => {
      ({ repository: repo, dispose } = await factory());
    });
    afterEach(async () => {
      await dispose?.();
    });

    function aProfile(extra: object = {}): UserProfile {
      seq += 1;
      return newUserProfile(
        { email: `x${seq}@example.com`, firstName: 'Ada', lastName: 'L', ...extra },
        { userId: testUserId(seq), now: at(0) },
      );
    }
    const change = (p: UserProfile, body: object) => applyUpdate(p, body, at(60), admin);

    it('finds a profile by its handle in any case, and refuses the handle to another', async () => {
      const ada = aProfile({ username: 'Ada_L' });
      await repo.create(ada);
      expect(await repo.findByUsername('ada_l')).toEqual(ada);
      expect(await repo.findByUsername('ADA_L')).toEqual(ada);
      await expect(repo.create(aProfile({ username: 'aDa_l' }))).rejects.toBeInstanceOf(
        UsernameTaken,
      );
      const bob = aProfile();
      await repo.create(bob);
      await expect(repo.update(bob, change(bob, { username: 'ADA_L' }))).rejects.toBeInstanceOf(
        UsernameTaken,
      );
      expect(await repo.get(bob.userId)).toEqual(bob);
    });

    it('releases the old handle when it changes, and keeps it when only its case does', async () => {
      const ada = aProfile({ username: 'countess' });
      await repo.create(ada);
      const recased = change(ada, { username: 'Countess' });
      await repo.update(ada, recased);
      expect((await repo.findByUsername('countess'))?.username).toBe('Countess');
      const renamed = change(recased, { username: 'analyst' });
      await repo.update(recased, renamed);
      expect(await repo.findByUsername('countess')).toBeUndefined();
      expect((await repo.findByUsername('analyst'))?.userId).toBe(ada.userId);
      const other = aProfile({ username: 'countess' });
      await repo.create(other);
      expect((await repo.findByUsername('countess'))?.userId).toBe(other.userId);
    });

    it('moves e-mail and handle together, or neither', async () => {
      const ada = aProfile({ username: 'first_one' });
      const bob = aProfile({ username: 'second_one' });
      await repo.create(ada);
      await repo.create(bob);
      const both = change(ada, { username: 'third_one', email: bob.email });
      await expect(repo.update(ada, both)).rejects.toBeInstanceOf(EmailAlreadyTaken);
      expect(await repo.findByUsername('third_one')).toBeUndefined();
      expect((await repo.findByUsername('first_one'))?.userId).toBe(ada.userId);
    });

    it('frees the handle with the profile, and refuses a stale handle change', async () => {
      const ada = aProfile({ username: 'leaving' });
      await repo.create(ada);
      const moved = change(ada, { firstName: 'Augusta' });
      await repo.update(ada, moved);
      await expect(repo.update(ada, change(ada, { username: 'stale' }))).rejects.toBeInstanceOf(
        VersionConflict,
      );
      expect(await repo.findByUsername('stale')).toBeUndefined();
      await repo.delete(moved);
      expect(await repo.findByUsername('leaving')).toBeUndefined();
      await repo.create(aProfile({ username: 'leaving' }));
    });

    it('reads many profiles and suspension records at once, only those that exist', async () => {
      const profiles = Array.from({ length: 3 }, () => aProfile());
      for (const p of profiles) await repo.create(p);
      const missing = testUserId(++seq);
      const ids = [...profiles.map((p) => p.userId), missing, profiles[0]!.userId];
      const found = await repo.getMany(ids);
      expect(found.sort((a, b) => a.userId.localeCompare(b.userId))).toEqual(profiles);
      const record = withSuspension(
        undefined,
        profiles[1]!.userId,
        { reason: 'SPAM' },
        testUserId(999),
        at(5),
      );
      await repo.saveSuspensions(undefined, record);
      expect(await repo.getSuspensionsOf(ids)).toEqual([record]);
      expect(await repo.getMany([])).toEqual([]);
    });

    it('stores every accepted write of every tier and standard field exactly', async () => {
      const key = fc.oneof(
        fc.constantFrom('constructor', 'toString', '__proto__ ', 'M', 'S', 'NULL', 'length'),
        fc.string({ minLength: 1, maxLength: 8 }),
      );
      const leaf = fc.oneof(
        fc.string({ maxLength: 12 }),
        fc.boolean(),
        fc.constant(null),
        fc.integer(),
      );
      const { json } = fc.letrec<{ json: unknown }>((tie) => ({
        json: fc.oneof(
          { depthSize: 'small', withCrossShrink: true },
          leaf,
          fc.array(tie('json'), { maxLength: 3 }),
          fc.dictionary(key, tie('json'), { maxKeys: 4 }),
        ),
      }));
      const tier = fc.constantFrom('metadata', 'appMetadata', 'publicMetadata');
      const standard = fc.record(
        {
          locale: fc.constantFrom('en', 'EN-gb', 'zh-hant-tw', 'de-CH-1996', 'x_bad', null),
          timeZone: fc.constantFrom('UTC', 'Europe/Paris', 'Asia/Kolkata', 'Mars/Base', null),
        },
        { requiredKeys: [] },
      );
      const profile = aProfile();
      await repo.create(profile);
      let current = profile;
      await fc.assert(
        fc.asyncProperty(
          tier,
          fc.dictionary(key, json, { maxKeys: 4 }),
          standard,
          async (t, patch, fields) => {
            let next: UserProfile;
            try {
              next = applyMergePatch(current, { [t]: patch, ...fields }, at(120), admin);
            } catch (error) {
              if (error instanceof ValidationFailed) return; // not accepted: nothing to store
              throw error;
            }
            if (next !== current) await repo.update(current, next);
            expect(await repo.get(profile.userId)).toEqual(next);
            current = next;
          },
        ),
        { numRuns: 40 },
      );
    });
  });
}

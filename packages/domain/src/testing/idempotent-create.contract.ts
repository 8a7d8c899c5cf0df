import { EmailAlreadyTaken, IdempotencyKeyInUse } from '../errors';
import { applyUpdate, type UserProfile } from '../user-profile';
import { at, contractFixture, type RepositoryFactory } from './contract-fixture';

/**
 * Creates with an Idempotency-Key, as every repository must store them: part of the repository
 * contract (`describeUserProfileRepositoryContract` runs it).
 */
export function describeIdempotentCreateContract(name: string, factory: RepositoryFactory): void {
  describe(`idempotent creates: ${name}`, () => {
    const f = contractFixture(factory, 20_000);
    const change = (p: UserProfile, changes: object) => applyUpdate(p, changes, at(3600));

    it('records an idempotent create with the profile, atomically, until it expires', async () => {
      const p = f.aProfile('idem@example.com');
      const record = {
        key: `key-${f.seq}`,
        fingerprint: 'f1',
        profile: p,
        expiresAt: '2026-01-02T00:00:00.000Z',
      };
      await f.repo.create(p, record);
      expect(await f.repo.findIdempotencyRecord(record.key, at(60))).toEqual(record);
      expect(
        await f.repo.findIdempotencyRecord(record.key, new Date('2026-01-02T00:00:00.001Z')),
      ).toBeUndefined();
      expect(await f.repo.findIdempotencyRecord('never-used', at(60))).toBeUndefined();
    });

    it('refuses a second create with a recorded key and stores none of it', async () => {
      const first = f.aProfile('first@example.com');
      const record = {
        key: `dup-${f.seq}`,
        fingerprint: 'f',
        profile: first,
        expiresAt: '2026-01-02T00:00:00.000Z',
      };
      await f.repo.create(first, record);
      const second = f.aProfile('second@example.com');
      await expect(f.repo.create(second, { ...record, profile: second })).rejects.toBeInstanceOf(
        IdempotencyKeyInUse,
      );
      expect(await f.repo.get(second.userId)).toBeUndefined();
      expect(await f.repo.findByEmail('second@example.com')).toBeUndefined();
    });

    it('writes no idempotency record when the create fails', async () => {
      await f.repo.create(f.aProfile('taken@example.com'));
      const clash = f.aProfile('taken@example.com');
      const record = {
        key: `fail-${f.seq}`,
        fingerprint: 'f',
        profile: clash,
        expiresAt: '2026-01-02T00:00:00.000Z',
      };
      await expect(f.repo.create(clash, record)).rejects.toBeInstanceOf(EmailAlreadyTaken);
      expect(await f.repo.findIdempotencyRecord(record.key, at(60))).toBeUndefined();
    });

    it('lets an expired key be used again', async () => {
      const old = f.aProfile('old-key@example.com');
      const record = {
        key: `exp-${f.seq}`,
        fingerprint: 'f',
        profile: old,
        expiresAt: '2026-01-01T00:00:05.000Z',
      };
      await f.repo.create(old, record);
      const fresh = f.aProfile('new-key@example.com', 10);
      await f.repo.create(fresh, {
        ...record,
        profile: fresh,
        expiresAt: '2026-01-02T00:00:10.000Z',
      });
      expect((await f.repo.findIdempotencyRecord(record.key, at(20)))?.profile).toEqual(fresh);
    });

    it('erases the record of the create with the profile: nothing of it is replayed', async () => {
      const p = f.aProfile('erase@example.com');
      const record = {
        key: `erase-${f.seq}`,
        fingerprint: 'f',
        profile: p,
        expiresAt: '2026-01-02T00:00:00.000Z',
      };
      await f.repo.create(p, record);
      const changed = change(p, { email: 'erase-2@example.com', metadata: null });
      await f.repo.update(p, changed);
      expect(await f.repo.findIdempotencyRecord(record.key, at(60))).toEqual(record);
      await f.repo.delete(changed);
      expect(await f.repo.findIdempotencyRecord(record.key, at(60))).toBeUndefined();
      expect(await f.repo.get(p.userId)).toBeUndefined();
    });

    it("keeps a reused key's record when the first profile made with the key is deleted", async () => {
      const old = f.aProfile('first-owner@example.com');
      const key = `reused-${f.seq}`;
      await f.repo.create(old, {
        key,
        fingerprint: 'f',
        profile: old,
        expiresAt: at(5).toISOString(),
      });
      const fresh = f.aProfile('second-owner@example.com', 10);
      const freshRecord = {
        key,
        fingerprint: 'g',
        profile: fresh,
        expiresAt: at(99).toISOString(),
      };
      await f.repo.create(fresh, freshRecord);
      await f.repo.delete(old);
      expect(await f.repo.get(old.userId)).toBeUndefined();
      expect(await f.repo.findIdempotencyRecord(key, at(20))).toEqual(freshRecord);
    });
  });
}

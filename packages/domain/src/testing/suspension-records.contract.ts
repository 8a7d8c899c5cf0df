import { VersionConflict } from '../errors';
import { withSuspension, withoutSuspension } from '../suspension';
import { at, contractFixture, type RepositoryFactory } from './contract-fixture';
import { testUserId } from './fakes';

/**
 * Suspension records, as every repository must store them: part of the repository contract
 * (`describeUserProfileRepositoryContract` runs it).
 */
export function describeSuspensionRecordsContract(name: string, factory: RepositoryFactory): void {
  describe(`suspension records: ${name}`, () => {
    const f = contractFixture(factory, 30_000);
    const subject = () => testUserId(9000 + ++f.seq);
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
      expect(await f.repo.getSuspensions(userId)).toBeUndefined();
      const record = suspended(userId, 10, '2027-01-01T00:00:00.000Z');
      await f.repo.saveSuspensions(undefined, record);
      expect(await f.repo.getSuspensions(userId)).toEqual(record);
      const lifted = withoutSuspension(record, testUserId(998), at(20))!;
      await f.repo.saveSuspensions(record, lifted);
      expect(await f.repo.getSuspensions(userId)).toEqual(lifted);
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
      await f.repo.saveSuspensions(undefined, first);
      await expect(f.repo.saveSuspensions(undefined, suspended(userId, 11))).rejects.toBeInstanceOf(
        VersionConflict,
      );
      const lifted = withoutSuspension(first, testUserId(998), at(20))!;
      await f.repo.saveSuspensions(first, lifted);
      await expect(
        f.repo.saveSuspensions(first, withoutSuspension(first, testUserId(997), at(21))!),
      ).rejects.toBeInstanceOf(VersionConflict);
      expect(await f.repo.getSuspensions(userId)).toEqual(lifted);
    });

    it('keeps the record when the profile is deleted, and a new profile of the subject finds it', async () => {
      const p = f.aProfile('suspended@example.com');
      await f.repo.create(p);
      const record = suspended(p.userId, 10);
      await f.repo.saveSuspensions(undefined, record);
      await f.repo.delete(p);
      expect(await f.repo.get(p.userId)).toBeUndefined();
      expect(await f.repo.getSuspensions(p.userId)).toEqual(record);
      await f.repo.create({ ...p, email: 'again@example.com' });
      expect(await f.repo.getSuspensions(p.userId)).toEqual(record);
    });

    it('reads a profile with its record in one call: both, either or neither', async () => {
      const p = f.aProfile('standing@example.com');
      expect(await f.repo.getWithSuspensions(p.userId)).toEqual({});
      await f.repo.create(p);
      const stored = await f.repo.get(p.userId);
      expect(await f.repo.getWithSuspensions(p.userId)).toEqual({ profile: stored });
      const record = suspended(p.userId, 10);
      await f.repo.saveSuspensions(undefined, record);
      expect(await f.repo.getWithSuspensions(p.userId)).toEqual({
        profile: stored,
        suspensions: record,
      });
      await f.repo.delete(stored!);
      expect(await f.repo.getWithSuspensions(p.userId)).toEqual({ suspensions: record });
    });

    it('lists records not lifted, most recently suspended first, in pages', async () => {
      const ids = [subject(), subject(), subject(), subject()];
      for (const [i, userId] of ids.entries()) {
        await f.repo.saveSuspensions(undefined, suspended(userId, 100 + i));
      }
      const liftedOne = (await f.repo.getSuspensions(ids[1]!))!;
      await f.repo.saveSuspensions(
        liftedOne,
        withoutSuspension(liftedOne, testUserId(998), at(200))!,
      );
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await f.repo.listSuspended({ limit: 2, cursor });
        seen.push(...page.items.map((r) => r.userId));
        cursor = page.cursor;
      } while (cursor);
      expect(seen).toEqual([ids[3], ids[2], ids[0]]);
      // Profiles are no suspension records, nor the other way round.
      expect((await f.repo.list({ limit: 100 })).items).toEqual([]);
    });
  });
}

import { CreateUserProfile, OPEN_ACCESS, withPhoto } from '@userprofile/domain';
import { FixedClock, SequentialIds, testUserId } from '@userprofile/domain/testing';
import { DynamoPhotoReferences } from './dynamo-photo-references';
import { DynamoUserProfileRepository } from './dynamo-user-profile-repository';
import { createTestTable, testClients } from './testing';

describe('DynamoPhotoReferences on DynamoDB Local', () => {
  it("reads every profile's photo id, and nothing else of the table", async () => {
    const table = await createTestTable();
    try {
      const { documentClient } = testClients();
      const repository = new DynamoUserProfileRepository(documentClient, table);
      const clock = new FixedClock();
      const create = new CreateUserProfile(repository, clock, new SequentialIds());
      const photoIds: string[] = [];
      for (let n = 0; n < 30; n++) {
        const input = { email: `p${n}@example.com`, firstName: 'P', lastName: `${n}` };
        // Some made with an idempotency key: their records hold a copy of the profile.
        const { profile } = await create.executeIdempotently(
          OPEN_ACCESS,
          input,
          n % 3 === 0 ? `key-${n}` : undefined,
        );
        if (n % 2 === 1) continue;
        const photo = { id: testUserId(5000 + n), updatedAt: clock.now().toISOString() };
        await repository.update(profile, withPhoto(profile, photo, clock.now()));
        photoIds.push(photo.id);
      }
      const found: string[] = [];
      for await (const id of new DynamoPhotoReferences(
        documentClient,
        table.tableName,
      ).referencedPhotoIds()) {
        found.push(id);
      }
      expect(found.sort()).toEqual(photoIds.sort());
    } finally {
      await table.drop();
    }
  });
});

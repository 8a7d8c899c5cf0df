import { PutObjectCommand } from '@aws-sdk/client-s3';
import { DynamoUserProfileRepository } from '@userprofile/adapters-dynamo';
import { createTestTable, testClients } from '@userprofile/adapters-dynamo/testing';
import { invokeBundle } from '@userprofile/adapters-http/testing-bundle';
import { startTestS3 } from '@userprofile/adapters-s3/testing';
import { newUserProfile, withPhoto } from '@userprofile/domain';
import { testUserId } from '@userprofile/domain/testing';
import { utimesSync } from 'node:fs';
import { join } from 'node:path';
import { synthesizedAssembly } from './testing/cloud-assembly';
import { profileTablesOf, ROLE_CREDENTIALS, startRoleProxy } from './testing/function-roles';

/**
 * `cdk synth` as a user runs it, then the daily photo sweep from its asset under its own role,
 * on DynamoDB Local and a local S3 server.
 */
describe('the synthesized cloud assembly: the photo sweep under its own IAM policy', () => {
  const assembly = synthesizedAssembly();

  it('runs the daily photo sweep from its asset under its own IAM policy: the orphan deleted, the shown photo kept, nothing denied', async () => {
    const name = 'userprofile-dev-photo-sweep';
    const t = await createTestTable();
    const s3 = await startTestS3('sweep-photos', ['ASIAEXAMPLEEXAMPLE']);
    const { proxy } = await startRoleProxy(assembly, name, profileTablesOf(t));
    try {
      const shown = testUserId(8101);
      const orphan = testUserId(8102);
      const repository = new DynamoUserProfileRepository(testClients().documentClient, t);
      const now = new Date();
      const profile = newUserProfile(
        { email: 'sweep@example.com', firstName: 'S', lastName: 'W' },
        { userId: testUserId(8100), now },
      );
      await repository.create(profile);
      await repository.update(
        profile,
        withPhoto(profile, { id: shown, updatedAt: now.toISOString() }, now),
      );
      const twoHoursAgo = new Date(Date.now() - 2 * 60 * 60 * 1000);
      for (const photoId of [shown, orphan]) {
        for (const size of [64, 256, 1024]) {
          const Key = `photos/${photoId}/${size}.webp`;
          await s3.client.send(new PutObjectCommand({ Bucket: s3.bucket, Key, Body: 'webp' }));
          const file = join(s3.directory, s3.bucket, `${Key}._S3rver_object`);
          utimesSync(file, twoHoursAgo, twoHoursAgo);
        }
      }
      const [outcome] = await invokeBundle(assembly.assetOf(name), [{}], {
        TABLE_NAME: t.tableName,
        ENVIRONMENT: 'dev',
        DYNAMODB_ENDPOINT: proxy.endpoint,
        AWS_REGION: 'us-east-1',
        ...ROLE_CREDENTIALS,
        LOG_LEVEL: 'warn',
        PHOTOS_URL: 'https://photos.example.com',
        S3_ENDPOINT: s3.endpoint,
        PHOTOS_BUCKET: s3.bucket,
        AUTH_MODE: 'none',
      });
      expect(outcome).toEqual({ examined: 2, deleted: 1 });
      expect(await s3.keys()).toEqual(
        [1024, 256, 64].map((size) => `photos/${shown}/${size}.webp`),
      );
      expect(proxy.denials).toEqual([]);
      expect(proxy.uses.map((u) => u.action)).toEqual(['dynamodb:Scan']);
    } finally {
      await proxy.stop();
      await s3.stop();
      await t.drop();
    }
  });
});

import { DynamoUserProfileRepository } from '@userprofile/adapters-dynamo';
import { createTestTable, testClients } from '@userprofile/adapters-dynamo/testing';
import { SharpImageProcessor } from '@userprofile/adapters-images';
import { S3PhotoStore } from '@userprofile/adapters-s3';
import { startTestS3 } from '@userprofile/adapters-s3/testing';
import { describeHttpApi } from './testing/http-api.suite';
import { s3PhotoAccess } from './testing/photo-access';
import { buildTestApp } from './testing/test-app';

describeHttpApi('DynamoDB Local and a local S3 server', async () => {
  const table = await createTestTable();
  const s3 = await startTestS3();
  const { app, photos } = await buildTestApp(
    {
      repository: new DynamoUserProfileRepository(testClients().documentClient, table),
      photos: {
        store: new S3PhotoStore(s3.client, s3.bucket),
        processor: new SharpImageProcessor(),
      },
    },
    { S3_ENDPOINT: s3.endpoint, PHOTOS_BUCKET: s3.bucket },
    false,
    s3PhotoAccess(s3),
  );
  return {
    app,
    photos,
    dispose: async () => {
      await table.drop();
      await s3.stop();
    },
  };
});

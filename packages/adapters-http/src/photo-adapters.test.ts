import { withStorageDeadline } from '@userprofile/adapters-dynamo';
import { StorageUnavailable } from '@userprofile/domain';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadConfig } from './config';
import { photoAdapters } from './photo-adapters';

/** An S3 endpoint that takes connections and never answers. */
let server: Server;
let endpoint: string;
beforeAll(async () => {
  server = createServer(() => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('the photo store the app is given', () => {
  it("stops at the request's storage deadline, the one its DynamoDB calls share", async () => {
    const config = loadConfig({ ENVIRONMENT: 'local', S3_ENDPOINT: endpoint, LOG_LEVEL: 'silent' });
    const { store, processor } = photoAdapters(config);
    try {
      const started = Date.now();
      const found = withStorageDeadline(Date.now() + 300, () => store.findUpload('u1', 'up1'));
      await expect(found).rejects.toBeInstanceOf(StorageUnavailable);
      // Without the deadline, S3's own timeouts would take 3 attempts of up to 6 s.
      expect(Date.now() - started).toBeLessThan(1500);
    } finally {
      await processor.close();
    }
  });
});

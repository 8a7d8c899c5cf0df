import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createS3Client, StorageDeadlinePassed } from './s3-client';

/** An S3 endpoint that accepts connections and never answers: S3 frozen mid-request. */
let server: Server;
let endpoint: string;
let requests = 0;
beforeAll(async () => {
  server = createServer(() => {
    requests += 1;
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});
beforeEach(() => {
  requests = 0;
});

const list = new ListObjectsV2Command({ Bucket: 'photos', Prefix: 'uploads/', MaxKeys: 1 });

describe('the S3 client under the request deadline', () => {
  it('starts no attempt once the deadline has passed', async () => {
    const s3 = createS3Client({ endpoint, deadline: () => Date.now() - 1 });
    await expect(s3.send(list)).rejects.toBeInstanceOf(StorageDeadlinePassed);
    expect(requests).toBe(0);
  });

  it('gives up on a frozen S3 at the deadline, not after 3 attempts of 5 s', async () => {
    const deadline = Date.now() + 300;
    const s3 = createS3Client({ endpoint, deadline: () => deadline });
    const started = Date.now();
    await expect(s3.send(list)).rejects.toThrow();
    const took = Date.now() - started;
    expect(took).toBeGreaterThanOrEqual(250);
    // The attempt in flight is aborted at the deadline; a retry after it never reaches S3.
    expect(took).toBeLessThan(1500);
    expect(requests).toBe(1);
  });

  it('leaves a call outside any request to its own timeouts', async () => {
    const s3 = createS3Client({ endpoint, deadline: () => undefined });
    const pending = s3.send(list, { abortSignal: AbortSignal.timeout(300) });
    await expect(pending).rejects.toThrow();
    expect(requests).toBe(1);
  });
});

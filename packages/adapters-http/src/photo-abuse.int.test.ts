import { PutObjectCommand } from '@aws-sdk/client-s3';
import { freePort, waitForHttp } from '@userprofile/local-servers';
import { testEndpoint } from '@userprofile/adapters-dynamo/testing';
import { plainPng, scanBombJpeg } from '@userprofile/adapters-images/testing';
import { postUpload, startTestS3 } from '@userprofile/adapters-s3/testing';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildServerBundle, packageDir } from './testing/bundled-local-server';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const bundleOptions = require('../bundle-options.cjs') as {
  buildPhotoWorker(dir: string): Promise<unknown>;
};

interface Profile {
  userId: string;
  version: number;
  photo?: { urls: Record<string, string> };
}

/**
 * The photo pipeline under abuse, on the bundled local server (as `./scripts/start` runs it, its
 * photo worker built beside it) with DynamoDB Local and an S3 server of the test's own.
 */
describe('photos under abuse, on the listening server', () => {
  let dir: string;
  let removeBundle = () => {};
  let s3: Awaited<ReturnType<typeof startTestS3>>;
  let server: ChildProcess;
  let url: string;
  let output = '';

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'photo-abuse-'));
    const { serverJs, remove } = await buildServerBundle('server-test');
    removeBundle = remove;
    await bundleOptions.buildPhotoWorker(join(packageDir, 'dist'));
    s3 = await startTestS3('abuse-photos');
    await plantOrphans();
    const port = await freePort();
    server = spawn(process.execPath, [serverJs], {
      cwd: packageDir,
      env: {
        PATH: process.env.PATH,
        PORT: String(port),
        LOG_LEVEL: 'warn',
        DATA_DIR: dir,
        DYNAMODB_ENDPOINT: testEndpoint(),
        TABLE_NAME: `abuse-${randomUUID()}`,
        S3_ENDPOINT: s3.endpoint,
        PHOTOS_BUCKET: s3.bucket,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    server.stdout?.on('data', (d: Buffer) => (output += d.toString()));
    server.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    url = `http://127.0.0.1:${port}`;
    await waitForHttp(`${url}/health/ready`, server, 45_000, (res) => res.ok).catch(
      (error: unknown) => {
        throw new Error(`server did not become ready: ${String(error)}\n${output}`);
      },
    );
  });
  afterAll(async () => {
    if (server.exitCode === null) {
      const exited = new Promise((resolve) => server.once('exit', resolve));
      server.kill('SIGTERM');
      await exited;
    }
    await s3?.stop();
    rmSync(dir, { recursive: true, force: true });
    removeBundle();
  });

  /** Renditions no profile shows: one set stored two hours ago, one a minute ago. */
  const oldOrphan = '00000000-0000-4000-8000-00000000a001';
  const newOrphan = '00000000-0000-4000-8000-00000000a002';
  async function plantOrphans() {
    for (const photoId of [oldOrphan, newOrphan]) {
      for (const size of [64, 256, 1024]) {
        const Key = `photos/${photoId}/${size}.webp`;
        await s3.client.send(new PutObjectCommand({ Bucket: s3.bucket, Key, Body: 'webp' }));
        if (photoId !== oldOrphan) continue;
        const twoHoursAgo = new Date(Date.now() - 2 * 60 * 60 * 1000);
        const file = join(s3.directory, s3.bucket, `${Key}._S3rver_object`);
        utimesSync(file, twoHoursAgo, twoHoursAgo);
      }
    }
  }

  it('sweeps renditions no profile shows at start, once they are older than an hour', async () => {
    const deadline = Date.now() + 20_000;
    while ((await keysUnder(`photos/${oldOrphan}/`)).length > 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(await keysUnder(`photos/${oldOrphan}/`)).toEqual([]);
    // Younger than the grace period: perhaps a commit still writing its profile.
    expect(await keysUnder(`photos/${newOrphan}/`)).toHaveLength(3);
  });

  const json = { 'content-type': 'application/json' };
  async function createProfile(): Promise<Profile> {
    const res = await fetch(`${url}/users`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ email: `${randomUUID()}@example.com`, firstName: 'A', lastName: 'B' }),
    });
    expect(res.status).toBe(201);
    return (await res.json()) as Profile;
  }
  async function upload(userId: string, bytes: Uint8Array, contentType = 'image/jpeg') {
    const res = await fetch(`${url}/users/${userId}/photo`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ contentType, contentLength: bytes.byteLength }),
    });
    expect(res.status).toBe(201);
    const ticket = (await res.json()) as {
      uploadId: string;
      url: string;
      fields: Record<string, string>;
    };
    expect((await postUpload(ticket, bytes, contentType)).status).toBe(204);
    return ticket.uploadId;
  }
  const commit = (userId: string, uploadId: string) =>
    fetch(`${url}/users/${userId}/photo`, {
      method: 'PUT',
      headers: json,
      body: JSON.stringify({ uploadId }),
    });
  const keysUnder = async (prefix: string) =>
    (await s3.keys()).filter((key) => key.startsWith(prefix));

  it('refuses a scan bomb in well under 2 s, and consumes its upload: a retry is a fast 422', async () => {
    const { userId } = await createProfile();
    const uploadId = await upload(userId, scanBombJpeg(1_000).bytes);
    const started = Date.now();
    const refused = await commit(userId, uploadId);
    const ms = Date.now() - started;
    expect(refused.status).toBe(422);
    const problem = (await refused.json()) as { code: string; detail: string };
    expect(problem).toMatchObject({ code: 'PHOTO_INVALID' });
    expect(problem.detail).toMatch(/JPEG of 1001 scans, more than 20/);
    expect(ms).toBeLessThan(2_000);
    expect(await keysUnder(`uploads/${userId}/`)).toEqual([]);
    const retry = await commit(userId, uploadId);
    expect(retry.status).toBe(422);
    expect(((await retry.json()) as { code: string }).code).toBe('UPLOAD_NOT_FOUND');
  });

  it('deletes the upload of a commit refused because the profile is gone', async () => {
    const profile = await createProfile();
    const uploadId = await upload(profile.userId, (await plainPng()).bytes, 'image/png');
    const deleted = await fetch(`${url}/users/${profile.userId}`, { method: 'DELETE' });
    expect(deleted.status).toBe(204);
    // Deleting the profile deleted its pending upload already.
    expect(await keysUnder(`uploads/${profile.userId}/`)).toEqual([]);
    expect((await commit(profile.userId, uploadId)).status).toBe(404);
  });

  it('leaves no profile showing a photo whose renditions are gone when DELETE races PATCH (15 rounds)', async () => {
    const png = (await plainPng()).bytes;
    let dangling = 0;
    let deletes = 0;
    for (let round = 0; round < 15; round++) {
      const { userId } = await createProfile();
      const committed = await commit(userId, await upload(userId, png, 'image/png'));
      expect(committed.status).toBe(200);
      const etag = committed.headers.get('etag') as string;
      await upload(userId, png, 'image/png'); // an upload not committed yet
      const [removed] = await Promise.all([
        fetch(`${url}/users/${userId}`, { method: 'DELETE', headers: { 'if-match': etag } }),
        fetch(`${url}/users/${userId}`, {
          method: 'PATCH',
          headers: { 'content-type': 'application/merge-patch+json' },
          body: JSON.stringify({ lastName: `Round ${round}` }),
        }),
      ]);
      const after = await fetch(`${url}/users/${userId}`);
      if (removed.status === 204) {
        deletes += 1;
        expect(after.status).toBe(404);
        expect(await keysUnder(`uploads/${userId}/`)).toEqual([]);
        continue;
      }
      expect(removed.status).toBe(412);
      const profile = (await after.json()) as Profile;
      for (const rendition of Object.values(profile.photo?.urls ?? {})) {
        if ((await fetch(rendition)).status !== 200) dangling += 1;
      }
    }
    expect({ dangling, deletesThatWon: deletes }).toEqual({ dangling: 0, deletesThatWon: deletes });
  });
});

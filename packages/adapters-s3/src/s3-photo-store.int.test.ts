import { StorageUnavailable, type PhotoUploadRequest } from '@userprofile/domain';
import { renditionUrls } from './photo-keys';
import { RENDITION_CACHE_CONTROL, S3PhotoStore } from './s3-photo-store';
import { postUpload, startTestS3 } from './testing';

const ada = '00000000-0000-4000-8000-00000000000a';
const bob = '00000000-0000-4000-8000-00000000000b';
const uploadId = '00000000-0000-4000-8000-000000000001';
const jpeg: PhotoUploadRequest = { contentType: 'image/jpeg', contentLength: 11 };
const inTenMinutes = () => new Date(Date.now() + 10 * 60 * 1000);

let s3: Awaited<ReturnType<typeof startTestS3>>;
let store: S3PhotoStore;

beforeAll(async () => {
  s3 = await startTestS3();
  store = new S3PhotoStore(s3.client, s3.bucket);
});
afterAll(() => s3.stop());

describe('S3PhotoStore on a local S3 server', () => {
  it('signs a POST policy for exactly this key, type and length, for ten minutes at most', async () => {
    const expiresAt = inTenMinutes();
    const ticket = await store.uploadTicket(ada, uploadId, jpeg, expiresAt);
    expect(ticket).toMatchObject({ uploadId, method: 'POST', expiresAt: expiresAt.toISOString() });
    expect(ticket.url).toBe(`${s3.endpoint}/${s3.bucket}`);
    expect(ticket.fields).toMatchObject({
      key: `uploads/${ada}/${uploadId}`,
      'Content-Type': 'image/jpeg',
      'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
    });
    expect(ticket.fields['X-Amz-Signature']).toMatch(/^[0-9a-f]{64}$/);
    const policy = JSON.parse(Buffer.from(ticket.fields.Policy!, 'base64').toString('utf8')) as {
      expiration: string;
      conditions: unknown[];
    };
    // This is what S3 enforces: a larger (or smaller) file, another key or type is refused.
    expect(policy.conditions).toEqual(
      expect.arrayContaining([
        { bucket: s3.bucket },
        ['eq', '$key', `uploads/${ada}/${uploadId}`],
        ['eq', '$Content-Type', 'image/jpeg'],
        ['content-length-range', 11, 11],
      ]),
    );
    const lifetime = new Date(policy.expiration).getTime() - Date.now();
    expect(lifetime).toBeGreaterThan(9 * 60 * 1000);
    expect(lifetime).toBeLessThanOrEqual(10 * 60 * 1000);
  });

  it('finds, reads and deletes what a client uploaded with the ticket, under that user only', async () => {
    const ticket = await store.uploadTicket(ada, uploadId, jpeg, inTenMinutes());
    const bytes = Buffer.from('hello photo');
    expect((await postUpload(ticket, bytes, 'image/jpeg')).status).toBe(204);
    expect(await s3.keys()).toEqual([`uploads/${ada}/${uploadId}`]);

    expect(await store.findUpload(bob, uploadId)).toBeUndefined();
    const upload = await store.findUpload(ada, uploadId);
    expect(upload?.size).toBe(bytes.length);
    expect(Buffer.from(await upload!.read())).toEqual(bytes);

    await store.deleteUpload(ada, uploadId);
    expect(await store.findUpload(ada, uploadId)).toBeUndefined();
    expect(await s3.keys()).toEqual([]);
  });

  it('is refused by the storage itself for a larger file, another type or key, or after expiry', async () => {
    const id = (n: number) => `00000000-0000-4000-8000-0000000001${String(n).padStart(2, '0')}`;
    const refusal = async (res: Response) => ({
      status: res.status,
      code: /<Code>([^<]+)<\/Code>/.exec(await res.text())?.[1],
    });
    const ticket = await store.uploadTicket(ada, id(1), jpeg, inTenMinutes());
    expect(await refusal(await postUpload(ticket, Buffer.alloc(12), 'image/jpeg'))).toEqual({
      status: 400,
      code: 'EntityTooLarge',
    });
    const otherType = { ...ticket, fields: { ...ticket.fields, 'Content-Type': 'text/html' } };
    expect(await refusal(await postUpload(otherType, Buffer.alloc(11), 'text/html'))).toEqual({
      status: 403,
      code: 'AccessDenied',
    });
    const otherKey = { ...ticket, fields: { ...ticket.fields, key: `uploads/${bob}/${id(1)}` } };
    expect(await refusal(await postUpload(otherKey, Buffer.alloc(11), 'image/jpeg'))).toEqual({
      status: 403,
      code: 'AccessDenied',
    });
    const brief = await store.uploadTicket(ada, id(2), jpeg, new Date(Date.now() + 1000));
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const late = await postUpload(brief, Buffer.alloc(11), 'image/jpeg');
    expect(late.status).toBe(403);
    expect(await late.text()).toMatch(/Policy expired/);
    expect(await s3.keys()).toEqual([]);
  });

  it('stores renditions as WebP objects anyone may read, cached for an hour at most, and deletes them all', async () => {
    const photoId = '00000000-0000-4000-8000-0000000000f1';
    await store.saveRenditions(photoId, [
      { size: 64, bytes: Buffer.from('a') },
      { size: 256, bytes: Buffer.from('bb') },
      { size: 1024, bytes: Buffer.from('ccc') },
    ]);
    const urls = renditionUrls(`${s3.endpoint}/${s3.bucket}/photos`, photoId);
    const read = await fetch(urls['256']);
    expect(read.status).toBe(200);
    expect(read.headers.get('content-type')).toBe('image/webp');
    expect(read.headers.get('cache-control')).toBe(RENDITION_CACHE_CONTROL);
    expect(RENDITION_CACHE_CONTROL).toBe('public, max-age=3600');
    expect(await read.text()).toBe('bb');
    expect(await s3.keys()).toEqual([
      `photos/${photoId}/1024.webp`,
      `photos/${photoId}/256.webp`,
      `photos/${photoId}/64.webp`,
    ]);

    await store.deleteRenditions(photoId);
    await store.deleteRenditions(photoId); // nothing left is not an error
    expect(await s3.keys()).toEqual([]);
  });

  it('lists the photos whose renditions are older than a time, each once, for the orphan sweep', async () => {
    const ids = ['00000000-0000-4000-8000-0000000000f2', '00000000-0000-4000-8000-0000000000f3'];
    for (const photoId of ids) {
      await store.saveRenditions(photoId, [
        { size: 64, bytes: Buffer.from('a') },
        { size: 256, bytes: Buffer.from('b') },
        { size: 1024, bytes: Buffer.from('c') },
      ]);
    }
    await store.deleteUploads(ada); // uploads are never listed as renditions
    const listed = async (storedBefore: Date) => {
      const found: string[] = [];
      for await (const id of store.renditionIds(storedBefore)) found.push(id);
      return found;
    };
    expect(await listed(new Date(Date.now() + 60_000))).toEqual(ids);
    expect(await listed(new Date(Date.now() - 60_000))).toEqual([]);
    for (const photoId of ids) await store.deleteRenditions(photoId);
  });

  it("deletes every upload of one user, and no one else's", async () => {
    const upload = (n: number) => `00000000-0000-4000-8000-0000000000${n}`;
    for (const [user, n] of [
      [ada, 11],
      [ada, 12],
      [bob, 13],
    ] as const) {
      const ticket = await store.uploadTicket(user, upload(n), jpeg, inTenMinutes());
      expect((await postUpload(ticket, Buffer.alloc(11), 'image/jpeg')).status).toBe(204);
    }
    await store.deleteUploads(ada);
    expect(await s3.keys()).toEqual([`uploads/${bob}/${upload(13)}`]);
    await store.deleteUploads(bob);
    expect(await s3.keys()).toEqual([]);
  });

  it('turns an unreachable storage into StorageUnavailable, keeping the cause', async () => {
    const down = await startTestS3('down');
    const unreachable = new S3PhotoStore(down.client, down.bucket);
    await down.stop();
    const error = await unreachable.findUpload(ada, uploadId).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StorageUnavailable);
    expect((error as Error).cause).toBeInstanceOf(Error);
  });
});

import { S3Client } from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { checkPostPolicy, type PostUpload } from './post-policy';

const secrets: Record<string, string> = { AKIDEXAMPLE: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };
const secretOf = (id: string) => secrets[id];
const s3 = new S3Client({
  region: 'eu-west-1',
  credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: secrets.AKIDEXAMPLE! },
});

/** A POST policy as the service signs it (the SDK's own presigner), and an upload with it. */
async function signed(overrides: Record<string, string> = {}, fileSize = 11) {
  const key = 'uploads/u/1';
  const { fields } = await createPresignedPost(s3, {
    Bucket: 'photos',
    Key: key,
    Conditions: [
      ['eq', '$key', key],
      ['eq', '$Content-Type', 'image/jpeg'],
      ['content-length-range', 11, 11],
    ],
    Fields: { 'Content-Type': 'image/jpeg' },
    Expires: 600,
  });
  const upload: PostUpload = { bucket: 'photos', fields: { ...fields, ...overrides }, fileSize };
  return upload;
}

describe('checkPostPolicy (what S3 checks of a browser upload)', () => {
  it('admits an upload that keeps to the policy the SDK signed', async () => {
    expect(checkPostPolicy(await signed(), secretOf)).toEqual({ ok: true });
  });

  it.each([
    ['a larger file', {}, 12, 400, 'EntityTooLarge'],
    ['a smaller file', {}, 10, 400, 'EntityTooSmall'],
    ['another content type', { 'Content-Type': 'text/html' }, 11, 403, 'AccessDenied'],
    ['another key', { key: 'photos/someone-else/64.webp' }, 11, 403, 'AccessDenied'],
    ['an extra field', { acl: 'public-read' }, 11, 403, 'AccessDenied'],
  ])('refuses %s', async (_name, overrides, size, status, code) => {
    expect(checkPostPolicy(await signed(overrides, size), secretOf)).toMatchObject({
      ok: false,
      status,
      code,
    });
  });

  it('refuses a policy changed after signing, and a key it does not know', async () => {
    const upload = await signed();
    const policy = JSON.parse(Buffer.from(upload.fields.Policy!, 'base64').toString()) as {
      conditions: unknown[];
    };
    policy.conditions = policy.conditions.map((c) =>
      Array.isArray(c) && c[0] === 'content-length-range' ? [c[0], 1, 10 ** 9] : c,
    );
    const forged = {
      ...upload.fields,
      Policy: Buffer.from(JSON.stringify(policy)).toString('base64'),
    };
    expect(
      checkPostPolicy({ ...upload, fields: forged, fileSize: 10 ** 8 }, secretOf),
    ).toMatchObject({
      ok: false,
      code: 'SignatureDoesNotMatch',
    });
    expect(checkPostPolicy(upload, () => undefined)).toMatchObject({
      ok: false,
      code: 'InvalidAccessKeyId',
    });
  });

  it('refuses an expired policy', async () => {
    const inAnHour = new Date(Date.now() + 60 * 60 * 1000);
    expect(checkPostPolicy(await signed(), secretOf, inAnHour)).toMatchObject({
      ok: false,
      status: 403,
      message: expect.stringMatching(/Policy expired/),
    });
  });
});

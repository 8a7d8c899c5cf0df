import { ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalS3, type RunningLocalS3 } from '@userprofile/local-servers';
import { createS3Client } from './s3-client';

/**
 * A local S3 server of the test's own, on a free port, with one bucket; `stop` removes it all.
 * `accessKeyIds`: keys it accepts besides its own (a Lambda bundle's fake role credentials).
 */
export async function startTestS3(
  bucket = 'test-photos',
  accessKeyIds: readonly string[] = [],
): Promise<
  RunningLocalS3 & {
    bucket: string;
    directory: string;
    client: S3Client;
    keys(): Promise<string[]>;
  }
> {
  const directory = mkdtempSync(join(tmpdir(), 'userprofile-s3-'));
  const server = await startLocalS3({ directory, bucket, port: 0, accessKeyIds });
  const client = createS3Client({ endpoint: server.endpoint });
  return {
    ...server,
    bucket,
    /** Where s3rver keeps the objects (each key's file's mtime is its LastModified). */
    directory,
    client,
    /** Every key in the bucket, sorted: what a path left behind. */
    keys: async () => {
      const listed = await client.send(new ListObjectsV2Command({ Bucket: bucket }));
      return (listed.Contents ?? []).map((o) => o.Key ?? '').sort();
    },
    stop: async () => {
      client.destroy();
      await server.stop();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

/** What a client does with an upload ticket: a multipart form POST of its fields, then the file. */
export async function postUpload(
  ticket: { url: string; fields: Readonly<Record<string, string>> },
  bytes: Uint8Array,
  contentType: string,
): Promise<Response> {
  const form = new FormData();
  for (const [name, value] of Object.entries(ticket.fields)) form.append(name, value);
  form.append('file', new Blob([bytes], { type: contentType }));
  return fetch(ticket.url, { method: 'POST', body: form });
}

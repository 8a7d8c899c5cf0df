import busboy from 'busboy';
import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import S3rver from 's3rver';
import { checkPostPolicy } from './post-policy';

// s3rver's one account; its registry of access keys is module state. s3rver offers no option to
// add keys, and it refuses any request whose access key id it does not know (it checks no SigV4
// signature, only the id). Reaching into lib/ is safe where it is used: s3rver is pinned to an
// exact version (3.7.1, its last release), this package is development-only, and the tests that
// sign with other keys (a Lambda bundle's role credentials, adapters-s3's testing server) fail at
// once if the module moves. The alternative, rewriting every forwarded request's credential to
// s3rver's own key in the front, would be a second authentication layer kept by hand.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { DUMMY_ACCOUNT } = require('s3rver/lib/models/account') as {
  DUMMY_ACCOUNT: {
    accessKeys: Map<string, string>;
    createKeyPair(id: string, secret: string): void;
  };
};

export interface RunningLocalS3 {
  /** e.g. `http://127.0.0.1:4569`; buckets at `<endpoint>/<bucket>`. */
  readonly endpoint: string;
  stop(): Promise<void>;
}

export interface LocalS3Options {
  /** Where objects are kept. */
  readonly directory: string;
  /** The bucket to create when missing. */
  readonly bucket: string;
  /** 0 picks a free port. @default 4569 */
  readonly port?: number;
  readonly host?: string;
  /**
   * Access key ids it accepts besides its own (`S3RVER`), each with itself as its secret, e.g.
   * the fake role credentials a Lambda bundle under test signs with.
   */
  readonly accessKeyIds?: readonly string[];
}

/** Browsers post uploads straight to the bucket and read renditions from it. */
const CORS = `<CORSConfiguration>
  <CORSRule>
    <AllowedOrigin>*</AllowedOrigin>
    <AllowedMethod>GET</AllowedMethod>
    <AllowedMethod>HEAD</AllowedMethod>
    <AllowedMethod>POST</AllowedMethod>
    <AllowedHeader>*</AllowedHeader>
    <MaxAgeSeconds>3000</MaxAgeSeconds>
  </CORSRule>
</CORSConfiguration>`;

/** A POST body larger than this is refused before it is read whole (S3 caps POSTs at 5 GB). */
const MAX_POST_BYTES = 16 * 1024 * 1024;

/**
 * An S3-compatible server for running without a cloud account: s3rver (which stores and serves
 * objects, and answers anonymous reads as the CDN does for renditions) behind a front that checks
 * what s3rver does not and S3 does for browser uploads: a POST must carry a policy signed with
 * Signature Version 4 by a known key, unexpired, whose every condition holds (key, content type,
 * `content-length-range`, ...): `checkPostPolicy`. Other requests pass through unchecked (s3rver
 * does not verify signatures).
 */
export async function startLocalS3(options: LocalS3Options): Promise<RunningLocalS3> {
  const host = options.host ?? '127.0.0.1';
  for (const id of options.accessKeyIds ?? []) DUMMY_ACCOUNT.createKeyPair(id, id);
  const store = new S3rver({
    address: '127.0.0.1',
    port: 0,
    directory: options.directory,
    silent: true,
    configureBuckets: [{ name: options.bucket, configs: [CORS] }],
  });
  const { port: storePort } = await store.run();

  const forward = (req: IncomingMessage, res: ServerResponse, body?: Buffer) => {
    const upstream = request(
      {
        host: '127.0.0.1',
        port: storePort,
        method: req.method,
        path: req.url,
        headers: req.headers,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    if (body) upstream.end(body);
    else req.pipe(upstream);
  };

  const front = createServer((req, res) => {
    const bucket = /^\/([^/?]+)\/?(\?.*)?$/.exec(req.url ?? '')?.[1];
    const isUpload =
      req.method === 'POST' &&
      bucket !== undefined &&
      /^multipart\/form-data/i.test(req.headers['content-type'] ?? '');
    if (!isUpload) return forward(req, res);
    readPostUpload(req)
      .then(({ body, fields, fileSize }) => {
        const verdict = checkPostPolicy({ bucket, fields, fileSize }, (id) =>
          DUMMY_ACCOUNT.accessKeys.get(id),
        );
        if (verdict.ok) return forward(req, res, body);
        res.writeHead(verdict.status, { 'content-type': 'application/xml' });
        res.end(
          `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${verdict.code}</Code><Message>${escapeXml(verdict.message)}</Message></Error>`,
        );
      })
      .catch((error: Error & { status?: number }) => {
        res.writeHead(error.status ?? 400, { 'content-type': 'application/xml' });
        res.end(
          `<Error><Code>MalformedPOSTRequest</Code><Message>${escapeXml(error.message)}</Message></Error>`,
        );
      });
  });
  await new Promise<void>((resolve, reject) => {
    front.once('error', reject);
    front.listen(options.port ?? 4569, host, resolve);
  });
  const { port } = front.address() as AddressInfo;
  return {
    endpoint: `http://${host}:${port}`,
    stop: async () => {
      front.closeAllConnections();
      await new Promise((resolve) => front.close(resolve));
      await store.close();
    },
  };
}

/** The whole body, its form fields before the file (S3 ignores those after) and the file's size. */
function readPostUpload(
  req: IncomingMessage,
): Promise<{ body: Buffer; fields: Record<string, string>; fileSize: number }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let length = 0;
    req.on('data', (chunk: Buffer) => {
      length += chunk.length;
      if (length > MAX_POST_BYTES) {
        req.destroy();
        reject(
          Object.assign(new Error('Your proposed upload exceeds the maximum allowed size'), {
            status: 400,
          }),
        );
      } else chunks.push(chunk);
    });
    req.on('error', reject);
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const fields: Record<string, string> = {};
      let fileSize = -1;
      const parser = busboy({ headers: req.headers, limits: { fieldSize: 64 * 1024 } });
      parser.on('field', (name, value) => {
        if (fileSize < 0) fields[name] = value;
      });
      parser.on('file', (name, stream) => {
        if (name !== 'file' || fileSize >= 0) return stream.resume();
        fileSize = 0;
        stream.on('data', (data: Buffer) => (fileSize += data.length));
      });
      parser.on('error', reject);
      parser.on('close', () =>
        fileSize < 0
          ? reject(new Error('POST requires exactly one file upload per request.'))
          : resolve({ body, fields, fileSize }),
      );
      parser.end(body);
    });
  });
}

const escapeXml = (text: string) =>
  text.replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c]!);

import S3rver from 's3rver';
// s3rver's one account; its registry of access keys is module state.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { DUMMY_ACCOUNT } = require('s3rver/lib/models/account') as {
  DUMMY_ACCOUNT: { createKeyPair(id: string, secret: string): void };
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
   * Access key ids it accepts besides its own (`S3RVER`), e.g. the fake role credentials a
   * Lambda bundle under test signs with. It checks no signature either way.
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

/**
 * An S3-compatible server in this process (s3rver), for running without a cloud account. It
 * stores and serves objects, and answers anonymous reads (as the CDN does for renditions), but
 * checks neither signatures nor POST policies: what those enforce is proven against the policy
 * itself (see the adapter's tests), and the service checks an upload's size again on commit.
 */
export async function startLocalS3(options: LocalS3Options): Promise<RunningLocalS3> {
  const host = options.host ?? '127.0.0.1';
  for (const id of options.accessKeyIds ?? []) DUMMY_ACCOUNT.createKeyPair(id, id);
  const server = new S3rver({
    address: host,
    port: options.port ?? 4569,
    directory: options.directory,
    silent: true,
    configureBuckets: [{ name: options.bucket, configs: [CORS] }],
  });
  const { port } = await server.run();
  return {
    endpoint: `http://${host}:${port}`,
    stop: async () => {
      await server.close();
    },
  };
}

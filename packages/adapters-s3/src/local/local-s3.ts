import S3rver from 's3rver';

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

import { S3Client } from '@aws-sdk/client-s3';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { Agent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';

export interface S3ClientOptions {
  /** An S3-compatible server, e.g. the local one; unset for AWS. */
  readonly endpoint?: string;
  readonly region?: string;
}

/**
 * The process's one S3 client. A local endpoint is addressed by path (`<endpoint>/<bucket>/...`)
 * with any credentials; AWS gets the default credential chain and virtual-hosted addressing.
 */
export function createS3Client(options: S3ClientOptions = {}): S3Client {
  const local = options.endpoint !== undefined;
  const agentOptions = { keepAlive: true, maxSockets: 32 };
  return new S3Client({
    region: options.region ?? process.env.AWS_REGION ?? (local ? 'us-east-1' : undefined),
    endpoint: options.endpoint,
    forcePathStyle: local,
    maxAttempts: 3,
    ...(local && !process.env.AWS_ACCESS_KEY_ID
      ? { credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } }
      : {}),
    requestHandler: new NodeHttpHandler({
      connectionTimeout: 1000,
      // Renditions and uploads are at most a few MiB: 5 s per attempt.
      requestTimeout: 5000,
      throwOnRequestTimeout: true,
      httpAgent: new Agent(agentOptions),
      httpsAgent: new HttpsAgent(agentOptions),
    }),
  });
}

import { S3Client } from '@aws-sdk/client-s3';
import { NodeHttpHandler, type NodeHttpHandlerOptions } from '@smithy/node-http-handler';
import { Agent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';

/** The deadline (epoch ms) of the storage calls of the request being served, if one was set. */
export type StorageDeadline = () => number | undefined;

export interface S3ClientOptions {
  /** An S3-compatible server, e.g. the local one; unset for AWS. */
  readonly endpoint?: string;
  readonly region?: string;
  /**
   * The request's storage deadline, the one its DynamoDB calls share: no attempt starts after
   * it and an attempt in flight is aborted at it. Unset: each attempt's own timeouts only.
   */
  readonly deadline?: StorageDeadline;
}

export class StorageDeadlinePassed extends Error {
  constructor(deadline: number) {
    super(`The storage deadline passed ${Date.now() - deadline} ms ago; no S3 attempt.`);
    this.name = 'StorageDeadlinePassed';
  }
}

/** Node's handler, each attempt bounded by the request's deadline as well as its own timeouts. */
class DeadlineHttpHandler extends NodeHttpHandler {
  constructor(
    options: NodeHttpHandlerOptions,
    private readonly deadline: StorageDeadline,
  ) {
    super(options);
  }

  override handle(...[request, options = {}]: Parameters<NodeHttpHandler['handle']>) {
    const deadline = this.deadline();
    if (deadline === undefined) return super.handle(request, options);
    const left = deadline - Date.now();
    if (left <= 0) return Promise.reject(new StorageDeadlinePassed(deadline));
    const signals = [AbortSignal.timeout(left)];
    if (options.abortSignal) signals.push(options.abortSignal as AbortSignal);
    return super.handle(request, { ...options, abortSignal: AbortSignal.any(signals) });
  }
}

/**
 * The process's one S3 client. A local endpoint is addressed by path (`<endpoint>/<bucket>/...`)
 * with any credentials; AWS gets the default credential chain and virtual-hosted addressing.
 * Alone, a call may take 3 attempts x (1 s + 5 s); with `deadline`, never past it.
 */
export function createS3Client(options: S3ClientOptions = {}): S3Client {
  const local = options.endpoint !== undefined;
  const agentOptions = { keepAlive: true, maxSockets: 32 };
  const handlerOptions: NodeHttpHandlerOptions = {
    connectionTimeout: 1000,
    // Renditions and uploads are at most a few MiB: 5 s per attempt.
    requestTimeout: 5000,
    throwOnRequestTimeout: true,
    httpAgent: new Agent(agentOptions),
    httpsAgent: new HttpsAgent(agentOptions),
  };
  return new S3Client({
    region: options.region ?? process.env.AWS_REGION ?? (local ? 'us-east-1' : undefined),
    endpoint: options.endpoint,
    forcePathStyle: local,
    maxAttempts: 3,
    ...(local && !process.env.AWS_ACCESS_KEY_ID
      ? { credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } }
      : {}),
    requestHandler: options.deadline
      ? new DeadlineHttpHandler(handlerOptions, options.deadline)
      : new NodeHttpHandler(handlerOptions),
  });
}

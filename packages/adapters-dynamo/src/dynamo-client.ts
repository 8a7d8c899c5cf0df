import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { Agent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { StorageDeadlineExceeded, storageDeadline } from './storage-deadline';

export interface DynamoClientOptions {
  /** e.g. http://127.0.0.1:8000 for DynamoDB Local; unset for AWS. */
  readonly endpoint?: string;
  readonly region?: string;
  /** Time to open a connection, ms. @default 1000 */
  readonly connectionTimeoutMs?: number;
  /** Time for one attempt's response, ms; fails the attempt when exceeded. @default 1000 */
  readonly requestTimeoutMs?: number;
  /** Attempts per operation, the first included (the SDK's bounded retries). @default 3 */
  readonly maxAttempts?: number;
}

/** The name of the SDK's own logger middleware, which the clients here go without. */
export const SDK_LOGGER_MIDDLEWARE = 'loggerMiddleware';

/**
 * The process's one DynamoDB client, with timeouts that make a dead or frozen database fail fast
 * (about attempts x (connection + request) timeout, ~4.5 s at the defaults) instead of hanging.
 */
export function createDynamoClients(options: DynamoClientOptions = {}): {
  client: DynamoDBClient;
  documentClient: DynamoDBDocumentClient;
} {
  const agentOptions = { keepAlive: true, maxSockets: 64 };
  const local = options.endpoint !== undefined;
  const client = new DynamoDBClient({
    region: options.region ?? process.env.AWS_REGION ?? (local ? 'local' : undefined),
    endpoint: options.endpoint,
    maxAttempts: options.maxAttempts ?? 3,
    // DynamoDB Local accepts any credentials; AWS gets the default provider chain.
    ...(local && !process.env.AWS_ACCESS_KEY_ID
      ? { credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }
      : {}),
    requestHandler: new NodeHttpHandler({
      connectionTimeout: options.connectionTimeoutMs ?? 1000,
      requestTimeout: options.requestTimeoutMs ?? 1000,
      // Without this, smithy 4.x only logs a warning when requestTimeout passes and keeps waiting.
      throwOnRequestTimeout: true,
      httpAgent: new Agent(agentOptions),
      httpsAgent: new HttpsAgent(agentOptions),
    }),
  });
  // The SDK's logger middleware filters every request and answer through its schemas for a log
  // line even when the logger is the default no-op one (it evaluates `logger.info?.({input:
  // filter(input), output: filter(output)})`): in `pnpm bench` the largest single cost of a
  // BatchGetItem in the SDK. Nothing here logs through the SDK's logger; the service logs its own.
  client.middlewareStack.remove(SDK_LOGGER_MIDDLEWARE);
  // Per attempt (inside the SDK's retries): none starts after the request's storage deadline.
  client.middlewareStack.add(
    (next) => async (args) => {
      const deadline = storageDeadline();
      if (deadline !== undefined && Date.now() >= deadline) {
        throw new StorageDeadlineExceeded(deadline);
      }
      return next(args);
    },
    { step: 'finalizeRequest', priority: 'low', name: 'storageDeadline' },
  );
  const documentClient = DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
    unmarshallOptions: { wrapNumbers: false },
  });
  return { client, documentClient };
}

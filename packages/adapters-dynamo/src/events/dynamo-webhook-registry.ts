import {
  DeleteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import {
  CHANGE_EVENT_TYPES,
  type ChangeEventType,
  type WebhookEndpoint,
  type WebhookRegistry,
} from '@userprofile/domain';
import { translateTransient } from '../dynamo-errors';

/** Webhook endpoints are few: one partition of the event table, `WEBHOOK`, one item each. */
const PARTITION = 'WEBHOOK';
const STATES = ['enabled', 'disabled', 'failing'] as const;

/** `WebhookRegistry` in the change-event table. */
export class DynamoWebhookRegistry implements WebhookRegistry {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async list(): Promise<readonly WebhookEndpoint[]> {
    const { Items } = await translateTransient(() =>
      this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': PARTITION },
          ConsistentRead: true,
        }),
      ),
    );
    return (Items ?? []).map(toEndpoint).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  async get(id: string): Promise<WebhookEndpoint | undefined> {
    const { Item } = await translateTransient(() =>
      this.db.send(
        new GetCommand({
          TableName: this.tableName,
          Key: { pk: PARTITION, sk: id },
          ConsistentRead: true,
        }),
      ),
    );
    return Item && toEndpoint(Item);
  }

  async put(endpoint: WebhookEndpoint): Promise<void> {
    await translateTransient(() =>
      this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { pk: PARTITION, sk: endpoint.id, ...endpoint, secrets: [...endpoint.secrets] },
        }),
      ),
    );
  }

  async delete(id: string): Promise<void> {
    await translateTransient(() =>
      this.db.send(
        new DeleteCommand({ TableName: this.tableName, Key: { pk: PARTITION, sk: id } }),
      ),
    );
  }
}

function toEndpoint(item: Record<string, unknown>): WebhookEndpoint {
  const { id, url, types, secrets, state, createdAt } = item;
  const strings = (v: unknown): v is string[] =>
    Array.isArray(v) && v.every((s) => typeof s === 'string');
  if (
    typeof id !== 'string' ||
    typeof url !== 'string' ||
    typeof createdAt !== 'string' ||
    !strings(secrets) ||
    secrets.length === 0 ||
    !STATES.includes(state as (typeof STATES)[number]) ||
    (types !== undefined &&
      !(strings(types) && types.every((t) => CHANGE_EVENT_TYPES.includes(t as ChangeEventType))))
  ) {
    throw new Error(`Stored webhook endpoint ${String(id)} is malformed`);
  }
  return {
    id,
    url,
    ...(types === undefined ? {} : { types: types as ChangeEventType[] }),
    secrets,
    state: state as WebhookEndpoint['state'],
    createdAt,
  };
}

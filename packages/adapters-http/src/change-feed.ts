import {
  changeFeedReader,
  ensureEventTable,
  type StreamReader,
} from '@userprofile/adapters-dynamo';
import { httpTransport, markFailing, WebhookDispatcher } from '@userprofile/adapters-webhooks';
import { RecordChanges, type ChangeEventPublisher } from '@userprofile/domain';
import type { Container } from 'inversify';
import type { AppConfig } from './config';
import { TOKENS } from './tokens';
import { allowsLoopback } from './webhook-security';

interface Log {
  info(object: object, message: string): void;
  warn(object: object, message: string): void;
}

/**
 * The local server's change feed: creates the event table when missing and reads the profile
 * table's stream into it (and to `publishers`) in the background, as the stream Lambda does in
 * AWS, delivering to the registered webhooks. Answers the reader, to stop on shutdown; none when the configuration names no event table.
 */
export async function startChangeFeed(
  container: Container,
  config: AppConfig,
  log: Log,
): Promise<StreamReader | undefined> {
  const eventTableName = config.eventTableName;
  if (!eventTableName) return undefined;
  const client = container.get(TOKENS.DynamoClient);
  if (await ensureEventTable(client, eventTableName)) {
    log.info({ table: eventTableName }, 'created the change-event table');
  }
  const publishers: ChangeEventPublisher[] = [];
  if (container.isBound(TOKENS.WebhookRegistry)) {
    const registry = container.get(TOKENS.WebhookRegistry);
    publishers.push(
      new WebhookDispatcher({
        endpoints: () => registry.list(),
        transport: httpTransport({ allowLoopback: allowsLoopback(config) }),
        // The metric: one log line per endpoint that ran out of retries.
        onFailing: async (endpoint, event) => {
          log.warn(
            { webhook: endpoint.id, event: event.id, metric: 'WebhookFailing' },
            'a webhook endpoint is failing',
          );
          await markFailing(registry, endpoint.id);
        },
      }),
    );
  }
  const record = new RecordChanges(container.get(TOKENS.EventStore), publishers);
  const reader = await changeFeedReader({
    client,
    documentClient: container.get(TOKENS.DocumentClient),
    tableName: config.tableName,
    eventTableName,
    ...(config.dynamodbEndpoint ? { endpoint: config.dynamodbEndpoint } : {}),
    record: async (events) => {
      const { added } = await record.execute(events);
      if (events.length > 0) log.info({ events: events.length, added }, 'recorded changes');
    },
    onError: (error) => log.warn({ err: error }, 'the change feed reader failed; retrying'),
  });
  reader.start();
  log.info({ table: config.tableName }, 'reading the table stream into the change feed');
  return reader;
}

// The bare baseline: one Fastify route that reads the item with the DocumentClient. No DI, no
// validation, no domain, no error mapping; the same client settings and logger as the service.
// `/same-reads/:userId` reads what the service's GET reads (ADR 0014): the profile and its
// subject's suspension record, in one BatchGetItem, and answers the profile. Built into the
// service's bundle (service-with-same-reads.ts), it measures the same reads in that process: its
// heap, its collector, its copy of the SDK and its background work (the change feed), without the
// service's request pipeline.
// `GET /same-list` and `POST /same-create` do what the service's list page (its profiles and
// their suspension records) and create do in the database, through the service's own repository:
// the same eight shard queries and merge, the same transaction (profile, e-mail guard, search
// items). The memory budget compares the servers under the same work with them (ADR 0029); no
// validation, no domain rules, no mapping.
import { BatchGetCommand, GetCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoUserProfileRepository, createDynamoClients } from '@userprofile/adapters-dynamo';
import type { UserProfile } from '@userprofile/domain';
import Fastify from 'fastify';
import { randomUUID } from 'node:crypto';

const { documentClient } = createDynamoClients({ endpoint: process.env.DYNAMODB_ENDPOINT });
const tableName = process.env.TABLE_NAME ?? 'UserProfiles';
const repository = new DynamoUserProfileRepository(documentClient, {
  tableName,
  searchTableName: process.env.SEARCH_TABLE_NAME ?? `${tableName}-search`,
});
const app = Fastify({ logger: { level: process.env.LOG_LEVEL ?? 'info' } });

app.get<{ Params: { userId: string } }>('/users/:userId', async (request, reply) => {
  const { Item } = await documentClient.send(
    new GetCommand({
      TableName: tableName,
      Key: { userId: request.params.userId },
      ConsistentRead: true,
    }),
  );
  if (!Item) return reply.status(404).send({ message: 'not found' });
  return Item;
});

app.get<{ Params: { userId: string } }>('/same-reads/:userId', async (request, reply) => {
  const { userId } = request.params;
  const { Responses } = await documentClient.send(
    new BatchGetCommand({
      RequestItems: {
        [tableName]: {
          Keys: [{ userId }, { userId: `SUSPENSION#${userId}` }],
          ConsistentRead: true,
        },
      },
    }),
  );
  const item = Responses?.[tableName]?.find((i) => i.userId === userId);
  if (!item) return reply.status(404).send({ message: 'not found' });
  return item;
});

app.get('/same-list', async () => {
  const { items } = await repository.list({ limit: 20 });
  // The page's suspension records, in one batch, as the service reads them for its answer.
  await repository.getSuspensionsOf(items.map((p) => p.userId));
  return items;
});

app.post<{ Body: { email: string; firstName: string; lastName: string } }>(
  '/same-create',
  async (request, reply) => {
    const { email, firstName, lastName } = request.body;
    const now = new Date().toISOString();
    const profile: UserProfile = {
      userId: randomUUID(),
      email: email.toLowerCase(),
      firstName,
      lastName,
      active: true,
      blocked: false,
      emailChangedAt: now,
      createdAt: now,
      updatedAt: now,
      version: 1,
    };
    await repository.create(profile);
    return reply.status(201).send(profile);
  },
);

// BASELINE_PORT when built into the service's bundle, beside the service's PORT.
app
  .listen({
    port: Number(process.env.BASELINE_PORT ?? process.env.PORT ?? 3001),
    host: '127.0.0.1',
  })
  .catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });

// The bare Lambda baseline: the same GetItem, answered as an API Gateway proxy result, without
// Fastify, DI, validation or the domain.
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { createDynamoClients } from '@userprofile/adapters-dynamo';

const { documentClient } = createDynamoClients({ endpoint: process.env.DYNAMODB_ENDPOINT });
const tableName = process.env.TABLE_NAME ?? 'UserProfiles';

export async function handler(event: { pathParameters?: { userId?: string } | null }) {
  const userId = event.pathParameters?.userId ?? '';
  const { Item } = await documentClient.send(
    new GetCommand({ TableName: tableName, Key: { userId }, ConsistentRead: true }),
  );
  return Item
    ? {
        statusCode: 200,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(Item),
      }
    : { statusCode: 404, body: '{"message":"not found"}' };
}

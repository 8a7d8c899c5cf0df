import { createDynamoClients, ensureTable, DynamoUserProfileRepository } from '@userprofile/adapters-dynamo';
import { newUserProfile } from '@userprofile/domain';
async function main() {
  const { client, documentClient } = createDynamoClients({ endpoint: 'http://127.0.0.1:8123' });
  await ensureTable(client, 'exp');
  const repo = new DynamoUserProfileRepository(documentClient, 'exp');
  const p = newUserProfile({ email: 'exp@example.com', firstName: 'E', lastName: 'X' }, { userId: '0b5f3c1e-6c1d-4e0a-9d53-7c2a2f1b9e01', now: new Date() });
  await repo.create(p).catch(() => undefined);
  console.log('ok');
}
main();

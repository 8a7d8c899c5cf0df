import { testClients } from '../testing/test-table';
import { createEventTestTable } from '../testing/event-test-table';
import { DynamoWebhookRegistry } from './dynamo-webhook-registry';

describe('webhook endpoints in the event table', () => {
  it('keeps, lists oldest first, changes and deletes endpoints', async () => {
    const table = await createEventTestTable();
    const registry = new DynamoWebhookRegistry(testClients().documentClient, table.tableName);
    const a = {
      id: 'a',
      url: 'https://a.example.com',
      secrets: ['whsec_a'],
      state: 'enabled' as const,
      createdAt: '2026-01-02T00:00:00.000Z',
    };
    const b = {
      ...a,
      id: 'b',
      types: ['profile.deleted' as const],
      createdAt: '2026-01-01T00:00:00.000Z',
    };
    await registry.put(a);
    await registry.put(b);
    expect(await registry.list()).toEqual([b, a]);
    await registry.put({ ...a, state: 'failing', secrets: ['whsec_c', 'whsec_a'] });
    expect(await registry.get('a')).toMatchObject({
      state: 'failing',
      secrets: ['whsec_c', 'whsec_a'],
    });
    await registry.delete('b');
    expect((await registry.list()).map((e) => e.id)).toEqual(['a']);
    expect(await registry.get('b')).toBeUndefined();
    await table.drop();
  });
});

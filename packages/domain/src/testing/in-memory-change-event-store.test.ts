import { describeChangeEventStoreContract } from './change-event-store.contract';
import { InMemoryChangeEventStore } from './in-memory-change-event-store';

describeChangeEventStoreContract('in memory', async () => ({
  store: new InMemoryChangeEventStore(),
}));

export { createDynamoClients, type DynamoClientOptions } from './dynamo-client';
export { isTransient } from './dynamo-errors';
export { storageDeadline, withStorageDeadline } from './storage-deadline';
export { DynamoUserProfileRepository } from './dynamo-user-profile-repository';
export { DynamoProfileSearch } from './dynamo-profile-search';
export { DynamoPhotoReferences } from './dynamo-photo-references';
export { tableReadiness } from './readiness';
export {
  createTableInput,
  ensureSearchTable,
  ensureTable,
  ensureTableFrom,
} from './table-bootstrap';
export { encodeCursor } from './list-cursor';
export { encodeSearchCursor } from './search-cursor';
export { searchItemsOf } from './search-items';
export { migrateSearchTable } from './search-table-migration';
export { USER_PROFILE_TABLE, type AttributeType } from './table-definition';
export { emailGuardItem, toItem } from './profile-item';
export {
  DynamoChangeEventStore,
  type DynamoChangeEventStoreOptions,
} from './events/dynamo-change-event-store';
export { cursorsAt } from './events/event-item';
export { ensureEventTable } from './events/event-table-bootstrap';
export { EVENT_TABLE, createEventTableInput } from './events/event-table-definition';
export { eventFromStreamRecord, type StreamImages } from './events/stream-record-event';
export {
  changeFeedReader,
  eventsOf,
  type ChangeFeedReaderOptions,
} from './streams/change-feed-reader';
export { StreamReader } from './streams/stream-reader';
export { DynamoWebhookRegistry } from './events/dynamo-webhook-registry';
export {
  handleStreamBatch,
  type BatchResponse,
  type LambdaStreamRecord,
} from './streams/stream-batch';

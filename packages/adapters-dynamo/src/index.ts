export { createDynamoClients, type DynamoClientOptions } from './dynamo-client';
export { isTransient } from './dynamo-errors';
export { storageDeadline, withStorageDeadline } from './storage-deadline';
export { DynamoUserProfileRepository } from './dynamo-user-profile-repository';
export { DynamoPhotoReferences } from './dynamo-photo-references';
export { tableReadiness } from './readiness';
export { createTableInput, ensureTable } from './table-bootstrap';
export { USER_PROFILE_TABLE, type AttributeType } from './table-definition';
export { emailGuardItem, toItem } from './profile-item';

import type { ChangeEventPublisher } from '@userprofile/domain';

/**
 * What `EventBridgeChangeEventPublisher` does to its bus, as IAM sees it: the stream function's
 * grant on the bus derives from it.
 */
export const EVENT_BUS_ACCESS: {
  readonly [Method in keyof ChangeEventPublisher]: readonly 'events:PutEvents'[];
} = {
  publish: ['events:PutEvents'],
};

/** The events' `source` on the bus unless configured otherwise: rules match on it. */
export const DEFAULT_EVENT_SOURCE = 'userprofile';

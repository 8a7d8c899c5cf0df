export {
  checkDestination,
  refusalOf,
  type CheckedDestination,
  type Resolver,
} from './address-guard';
export { attemptDelivery, markFailing, subscribes } from './delivery-attempt';
export { httpTransport, type HttpTransportOptions, type WebhookTransport } from './http-transport';
export { newWebhookSecret, signedHeaders, SECRET_PREFIX } from './signing';
export {
  RETRY_SCHEDULE_MS,
  WebhookDispatcher,
  type DispatcherOptions,
  type DispatchedEndpoint,
} from './webhook-dispatcher';

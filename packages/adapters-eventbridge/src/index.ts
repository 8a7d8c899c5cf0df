export {
  EventBridgeChangeEventPublisher,
  type EventBridgePublisherOptions,
} from './eventbridge-publisher';

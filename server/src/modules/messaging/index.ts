/**
 * Messaging's public face for other modules: put a message in the outbox (inside your transaction), run the
 * delivery worker, read a customer's messages for the timeline, notify a user, and the ladder's message steps.
 */
export {
  enqueueMessage,
  enqueueMessages,
  type EnqueueMessageInput,
  type EnqueuedMessage,
} from './enqueue-message';
export { deliverDueMessages, type DeliveryDeps, type DeliveryOptions } from './deliver-messages';
export { listCustomerMessages } from './message-log';
export { createNotification, type NotificationInput } from './in-app';
export { registerMessagingStepExecutors } from './step-executors';
export { registerMessagingRoutes } from './messaging.routes';

import {
  channelSettingsSchema,
  deliveryReportSchema,
  idParamSchema,
  messageListQuerySchema,
  notificationListQuerySchema,
  notificationPageSchema,
  notificationSchema,
  outboundMessageDetailSchema,
  outboundMessagePageSchema,
  sendTestMessageRequestSchema,
  unreadCountSchema,
  updateChannelSettingsRequestSchema,
} from '@huikuan/core/contracts';
import type { ApiApp } from '../../app';
import type { AppDeps } from '../../platform/deps';
import { requireActor } from '../../platform/request-context';
import { getChannelSettings, updateChannelSettings } from './channel-settings';
import { deliverNow, dismissMessage, getMessage, listMessages, resendMessage } from './message-log';
import {
  countMyUnread,
  listMyNotifications,
  markAllNotificationsRead,
  markNotificationRead,
} from './notifications';
import { sendTestMessage } from './send-test-message';

export function registerMessagingRoutes(app: ApiApp, deps: AppDeps): void {
  const tags = ['messaging'];
  app.get('/messaging/settings', { schema: { tags, response: { 200: channelSettingsSchema } } }, (request) =>
    getChannelSettings(deps, requireActor(request, 'records.read')),
  );
  app.put(
    '/messaging/settings',
    { schema: { tags, body: updateChannelSettingsRequestSchema, response: { 200: channelSettingsSchema } } },
    (request) => updateChannelSettings(deps, requireActor(request, 'org.manage'), request.body),
  );
  app.post(
    '/messaging/test',
    { schema: { tags, body: sendTestMessageRequestSchema, response: { 200: outboundMessageDetailSchema } } },
    (request) => sendTestMessage(deps, requireActor(request, 'org.manage'), request.body),
  );
  registerMessageLogRoutes(app, deps);
  registerNotificationRoutes(app, deps);
}

function registerMessageLogRoutes(app: ApiApp, deps: AppDeps): void {
  const tags = ['messages'];
  app.get(
    '/messages',
    { schema: { tags, querystring: messageListQuerySchema, response: { 200: outboundMessagePageSchema } } },
    (request) => listMessages(deps, requireActor(request, 'records.read'), request.query),
  );
  app.post('/messages/deliver', { schema: { tags, response: { 200: deliveryReportSchema } } }, (request) =>
    deliverNow(deps, requireActor(request, 'records.write')),
  );
  app.get(
    '/messages/:id',
    { schema: { tags, params: idParamSchema, response: { 200: outboundMessageDetailSchema } } },
    (request) => getMessage(deps, requireActor(request, 'records.read'), request.params.id),
  );
  app.post(
    '/messages/:id/resend',
    { schema: { tags, params: idParamSchema, response: { 200: outboundMessageDetailSchema } } },
    (request) => resendMessage(deps, requireActor(request, 'records.write'), request.params.id),
  );
  app.post(
    '/messages/:id/dismiss',
    { schema: { tags, params: idParamSchema, response: { 200: outboundMessageDetailSchema } } },
    (request) => dismissMessage(deps, requireActor(request, 'records.write'), request.params.id),
  );
}

function registerNotificationRoutes(app: ApiApp, deps: AppDeps): void {
  const tags = ['notifications'];
  app.get(
    '/notifications',
    { schema: { tags, querystring: notificationListQuerySchema, response: { 200: notificationPageSchema } } },
    (request) => listMyNotifications(deps, requireActor(request), request.query),
  );
  app.get(
    '/notifications/unread-count',
    { schema: { tags, response: { 200: unreadCountSchema } } },
    (request) => countMyUnread(deps, requireActor(request)),
  );
  app.post('/notifications/read-all', { schema: { tags, response: { 200: unreadCountSchema } } }, (request) =>
    markAllNotificationsRead(deps, requireActor(request)),
  );
  app.post(
    '/notifications/:id/read',
    { schema: { tags, params: idParamSchema, response: { 200: notificationSchema } } },
    (request) => markNotificationRead(deps, requireActor(request), request.params.id),
  );
}

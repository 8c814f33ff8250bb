import {
  channelSettingsSchema,
  deliveryReportSchema,
  notificationPageSchema,
  notificationSchema,
  outboundMessageDetailSchema,
  outboundMessagePageSchema,
  unreadCountSchema,
  type MessageStatusFilter,
  type SendTestMessageRequest,
  type UpdateChannelSettingsRequest,
} from '@huikuan/core/contracts';
import type { MessageChannel } from '@huikuan/core';
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { apiRequest, withQuery } from '../../app/api';

export const MESSAGES_QUERY_KEY = ['messages'] as const;
const SETTINGS_QUERY_KEY = ['messaging-settings'] as const;
const NOTIFICATIONS_QUERY_KEY = ['notifications'] as const;

const messagePath = (id: string) => `/api/messages/${encodeURIComponent(id)}`;

function useInvalidate(...keys: (readonly string[])[]) {
  const client = useQueryClient();
  return () => Promise.all(keys.map((queryKey) => client.invalidateQueries({ queryKey })));
}

export type MessageFilters = { status?: MessageStatusFilter; channel?: MessageChannel; customerId?: string };

export function useMessages(filters: MessageFilters) {
  return useInfiniteQuery({
    queryKey: [...MESSAGES_QUERY_KEY, 'list', filters],
    queryFn: ({ pageParam }) =>
      apiRequest(
        'GET',
        withQuery('/api/messages', { ...filters, cursor: pageParam, limit: 50 }),
        outboundMessagePageSchema,
      ),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.nextCursor,
  });
}

const PROBLEM_COUNT_LIMIT = 99;

/** Messages that need a person, counted up to a limit (the menu badge shows "99+" beyond it). */
export function useMessageProblemCount(options: { enabled: boolean }) {
  return useQuery({
    queryKey: [...MESSAGES_QUERY_KEY, 'problem-count'],
    queryFn: async () => {
      const page = await apiRequest(
        'GET',
        withQuery('/api/messages', { status: 'problem', limit: PROBLEM_COUNT_LIMIT }),
        outboundMessagePageSchema,
      );
      return { count: page.items.length, hasMore: page.nextCursor !== null };
    },
    enabled: options.enabled,
    refetchInterval: 60_000,
  });
}

export function useMessage(id: string | null) {
  return useQuery({
    queryKey: [...MESSAGES_QUERY_KEY, 'detail', id],
    queryFn: () => apiRequest('GET', messagePath(id ?? ''), outboundMessageDetailSchema),
    enabled: id !== null,
  });
}

export function useResendMessage() {
  const invalidate = useInvalidate(MESSAGES_QUERY_KEY, ['audit']);
  return useMutation({
    mutationFn: (id: string) => apiRequest('POST', `${messagePath(id)}/resend`, outboundMessageDetailSchema),
    onSuccess: invalidate,
  });
}

export function useDismissMessage() {
  const invalidate = useInvalidate(MESSAGES_QUERY_KEY, ['audit']);
  return useMutation({
    mutationFn: (id: string) => apiRequest('POST', `${messagePath(id)}/dismiss`, outboundMessageDetailSchema),
    onSuccess: invalidate,
  });
}

export function useDeliverNow() {
  const invalidate = useInvalidate(MESSAGES_QUERY_KEY);
  return useMutation({
    mutationFn: () => apiRequest('POST', '/api/messages/deliver', deliveryReportSchema),
    onSuccess: invalidate,
  });
}

export function useChannelSettings() {
  return useQuery({
    queryKey: SETTINGS_QUERY_KEY,
    queryFn: () => apiRequest('GET', '/api/messaging/settings', channelSettingsSchema),
  });
}

export function useUpdateChannelSettings() {
  const invalidate = useInvalidate(SETTINGS_QUERY_KEY, ['audit']);
  return useMutation({
    mutationFn: (body: UpdateChannelSettingsRequest) =>
      apiRequest('PUT', '/api/messaging/settings', channelSettingsSchema, body),
    onSuccess: invalidate,
  });
}

export function useSendTestMessage() {
  const invalidate = useInvalidate(MESSAGES_QUERY_KEY, NOTIFICATIONS_QUERY_KEY);
  return useMutation({
    mutationFn: (body: SendTestMessageRequest) =>
      apiRequest('POST', '/api/messaging/test', outboundMessageDetailSchema, body),
    onSuccess: invalidate,
  });
}

export function useUnreadCount() {
  return useQuery({
    queryKey: [...NOTIFICATIONS_QUERY_KEY, 'unread'],
    queryFn: () => apiRequest('GET', '/api/notifications/unread-count', unreadCountSchema),
    refetchInterval: 60_000,
  });
}

export function useRecentNotifications(isEnabled: boolean) {
  return useQuery({
    queryKey: [...NOTIFICATIONS_QUERY_KEY, 'recent'],
    queryFn: () => apiRequest('GET', withQuery('/api/notifications', { limit: 10 }), notificationPageSchema),
    enabled: isEnabled,
  });
}

export function useMarkNotificationRead() {
  const invalidate = useInvalidate(NOTIFICATIONS_QUERY_KEY);
  return useMutation({
    mutationFn: (id: string) =>
      apiRequest('POST', `/api/notifications/${encodeURIComponent(id)}/read`, notificationSchema),
    onSuccess: invalidate,
  });
}

export function useMarkAllNotificationsRead() {
  const invalidate = useInvalidate(NOTIFICATIONS_QUERY_KEY);
  return useMutation({
    mutationFn: () => apiRequest('POST', '/api/notifications/read-all', unreadCountSchema),
    onSuccess: invalidate,
  });
}

import {
  letterheadSchema,
  letterListSchema,
  letterPreviewSchema,
  letterSchema,
  letterTemplateListSchema,
  letterTemplateViewSchema,
  statementRunSchema,
  type LetterheadRequest,
  type LetterRequest,
  type LetterTemplateInput,
  type TemplatePreviewRequest,
} from '@huikuan/core/contracts';
import type { LetterKind, Locale } from '@huikuan/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { apiRequest, withQuery } from '../../app/api';

export const LETTERS_QUERY_KEY = ['letters'] as const;

const customerPath = (id: string) => `/api/customers/${encodeURIComponent(id)}`;

function useInvalidateLetters() {
  const client = useQueryClient();
  return () =>
    Promise.all(
      [LETTERS_QUERY_KEY, ['audit'], ['messages']].map((queryKey) => client.invalidateQueries({ queryKey })),
    );
}

export function useCustomerLetters(customerId: string) {
  return useQuery({
    queryKey: [...LETTERS_QUERY_KEY, 'customer', customerId],
    queryFn: () => apiRequest('GET', `${customerPath(customerId)}/letters`, letterListSchema),
  });
}

export function useLetterPreview(customerId: string) {
  return useMutation({
    mutationFn: (body: LetterRequest) =>
      apiRequest('POST', `${customerPath(customerId)}/letters/preview`, letterPreviewSchema, body),
  });
}

export function useGenerateLetter(customerId: string, headers: Record<string, string>) {
  const invalidate = useInvalidateLetters();
  return useMutation({
    mutationFn: (body: LetterRequest) =>
      apiRequest('POST', `${customerPath(customerId)}/letters`, letterSchema, body, { headers }),
    onSuccess: invalidate,
  });
}

export function useLetterhead() {
  return useQuery({
    queryKey: [...LETTERS_QUERY_KEY, 'letterhead'],
    queryFn: () => apiRequest('GET', '/api/letterhead', letterheadSchema),
  });
}

export function useSaveLetterhead() {
  const invalidate = useInvalidateLetters();
  return useMutation({
    mutationFn: (body: LetterheadRequest) => apiRequest('PUT', '/api/letterhead', letterheadSchema, body),
    onSuccess: invalidate,
  });
}

export function useSetSeal() {
  const invalidate = useInvalidateLetters();
  return useMutation({
    mutationFn: (contentBase64: string | null) =>
      contentBase64 === null
        ? apiRequest('DELETE', '/api/letterhead/seal', letterheadSchema)
        : apiRequest('PUT', '/api/letterhead/seal', letterheadSchema, { contentBase64 }),
    onSuccess: invalidate,
  });
}

export function useLetterTemplates() {
  return useQuery({
    queryKey: [...LETTERS_QUERY_KEY, 'templates'],
    queryFn: () => apiRequest('GET', '/api/letter-templates', letterTemplateListSchema),
  });
}

const templatePath = (kind: LetterKind, locale: Locale) =>
  withQuery(`/api/letter-templates/${kind}`, { locale });

export function useSaveTemplate() {
  const invalidate = useInvalidateLetters();
  return useMutation({
    mutationFn: (input: { kind: LetterKind; locale: Locale; template: LetterTemplateInput }) =>
      apiRequest('PUT', templatePath(input.kind, input.locale), letterTemplateViewSchema, input.template),
    onSuccess: invalidate,
  });
}

export function useResetTemplate() {
  const invalidate = useInvalidateLetters();
  return useMutation({
    mutationFn: (input: { kind: LetterKind; locale: Locale }) =>
      apiRequest('DELETE', templatePath(input.kind, input.locale), letterTemplateViewSchema),
    onSuccess: invalidate,
  });
}

export function useTemplatePreview() {
  return useMutation({
    mutationFn: (body: TemplatePreviewRequest) =>
      apiRequest('POST', '/api/letter-templates/preview', letterPreviewSchema, body),
  });
}

export function useSendMonthlyStatements() {
  const invalidate = useInvalidateLetters();
  return useMutation({
    mutationFn: (body: { month: string; isDryRun: boolean }) =>
      apiRequest('POST', '/api/statements/monthly', statementRunSchema, body),
    onSuccess: invalidate,
  });
}

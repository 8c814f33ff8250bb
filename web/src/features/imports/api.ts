import {
  importJobCreatedSchema,
  importJobListSchema,
  importJobSchema,
  importPresetListSchema,
  importPresetSchema,
  importPreviewSchema,
  type CreateImportPresetBody,
  type ImportKind,
  type UpdateImportPresetBody,
} from '@huikuan/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '../../app/api';

/** What the page sends for a file: the same body the server's dry-run, commit, preview and jobs take. */
export type ImportFileBody = {
  fileName: string;
  contentBase64: string;
  encoding: 'auto' | 'utf-8' | 'gbk' | 'gb18030';
  dateFormat: string;
  decimalSeparator: '.' | ',';
  mapping?: Record<string, string>;
};

const PRESETS_KEY = ['import-presets'] as const;
const JOBS_KEY = ['import-jobs'] as const;
/** How often a running job is asked for its progress. */
const POLL_MS = 500;

export function usePresets(kind: ImportKind) {
  return useQuery({
    queryKey: [...PRESETS_KEY, kind],
    queryFn: async () =>
      (await apiRequest('GET', `/api/import-presets?kind=${kind}`, importPresetListSchema)).items,
  });
}

export function useCreatePreset() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateImportPresetBody) =>
      apiRequest('POST', '/api/import-presets', importPresetSchema, body),
    onSuccess: () => client.invalidateQueries({ queryKey: PRESETS_KEY }),
  });
}

export function useUpdatePreset() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: UpdateImportPresetBody }) =>
      apiRequest('PATCH', `/api/import-presets/${encodeURIComponent(id)}`, importPresetSchema, body),
    onSuccess: () => client.invalidateQueries({ queryKey: PRESETS_KEY }),
  });
}

export function usePreview() {
  return useMutation({
    mutationFn: ({ kind, body }: { kind: ImportKind; body: ImportFileBody }) =>
      apiRequest('POST', `/api/imports/${kind}/preview`, importPreviewSchema, body),
  });
}

export function useStartJob() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ kind, body, isDryRun }: { kind: ImportKind; body: ImportFileBody; isDryRun: boolean }) =>
      apiRequest('POST', `/api/imports/${kind}/jobs`, importJobCreatedSchema, { ...body, isDryRun }),
    onSuccess: () => client.invalidateQueries({ queryKey: JOBS_KEY }),
  });
}

/** One job, polled every half second until it has finished. */
export function useImportJob(jobId: string | null) {
  const client = useQueryClient();
  return useQuery({
    queryKey: [...JOBS_KEY, 'one', jobId],
    enabled: jobId !== null,
    queryFn: async () => {
      const job = await apiRequest(
        'GET',
        `/api/import-jobs/${encodeURIComponent(jobId ?? '')}`,
        importJobSchema,
      );
      if (job.status === 'succeeded' || job.status === 'failed') {
        void client.invalidateQueries({ queryKey: [...JOBS_KEY, 'recent'] });
      }
      return job;
    },
    refetchInterval: (query) => {
      const status = query.state.data?.status;
      return status === 'succeeded' || status === 'failed' ? false : POLL_MS;
    },
  });
}

export function useRecentImportJobs() {
  return useQuery({
    queryKey: [...JOBS_KEY, 'recent'],
    queryFn: async () => (await apiRequest('GET', '/api/import-jobs', importJobListSchema)).items,
  });
}

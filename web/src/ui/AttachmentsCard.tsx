import { UploadOutlined } from '@ant-design/icons';
import {
  ATTACHMENT_KINDS,
  attachmentListSchema,
  attachmentSchema,
  MAX_ATTACHMENT_BYTES,
  type Attachment,
  type AttachmentKind,
} from '@huikuan/core/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Flex, Select, Table, Upload, type TableColumnsType } from 'antd';
import { useMemo, useState } from 'react';
import { apiRequest } from '../app/api';
import { useT } from '../app/locale';
import { DateText } from './DateText';
import { ErrorAlert } from './ErrorAlert';
import { useErrorText } from './errors';

/** The file's bytes as base64, without the "data:…;base64," prefix the FileReader puts in front. */
function readAsBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => {
      const text = typeof reader.result === 'string' ? reader.result : '';
      resolve(text.slice(text.indexOf(',') + 1));
    };
    reader.onerror = () => reject(reader.error ?? new Error('read failed'));
    reader.readAsDataURL(file);
  });
}

type AttachmentsCardProps = {
  /** e.g. /api/customers/:id/attachments; the list, the upload and (with /:id/content) the download. */
  basePath: string;
  defaultKind: AttachmentKind;
  canUpload: boolean;
  testIdPrefix: string;
};

/** Attachments of one record: upload as base64 JSON (the API's one way in) and download links. */
export function AttachmentsCard({ basePath, defaultKind, canUpload, testIdPrefix }: AttachmentsCardProps) {
  const t = useT();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const client = useQueryClient();
  const [kind, setKind] = useState<AttachmentKind>(defaultKind);
  const list = useQuery({
    queryKey: ['attachments', basePath],
    queryFn: async () => (await apiRequest('GET', basePath, attachmentListSchema)).items,
  });
  const upload = useMutation({
    mutationFn: async (file: File) =>
      apiRequest('POST', basePath, attachmentSchema, {
        fileName: file.name,
        contentType: file.type === '' ? 'application/octet-stream' : file.type,
        kind,
        contentBase64: await readAsBase64(file),
      }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['attachments', basePath] }),
  });
  const columns = useAttachmentColumns(basePath);

  const onPick = (file: File) => {
    if (file.size > MAX_ATTACHMENT_BYTES) {
      void message.error(t('attachments.tooLarge'));
      return false;
    }
    upload.mutate(file, {
      onSuccess: () => void message.success(t('attachments.uploaded')),
      onError: (error) => void message.error(errorText(error)),
    });
    // Returning false stops antd's own XHR upload; the mutation above sends the file.
    return false;
  };

  return (
    <Card
      title={t('attachments.title')}
      extra={
        canUpload ? (
          <Flex gap={8}>
            <Select<AttachmentKind>
              value={kind}
              onChange={setKind}
              style={{ width: 160 }}
              options={ATTACHMENT_KINDS.map((value) => ({ value, label: t(`attachments.kind.${value}`) }))}
            />
            <Upload beforeUpload={onPick} showUploadList={false}>
              <Button
                icon={<UploadOutlined />}
                loading={upload.isPending}
                data-testid={`${testIdPrefix}-upload`}
              >
                {t('attachments.upload')}
              </Button>
            </Upload>
          </Flex>
        ) : null
      }
    >
      {list.isError ? <ErrorAlert error={list.error} onRetry={() => void list.refetch()} /> : null}
      <div data-testid={`${testIdPrefix}-table`}>
        <Table<Attachment>
          rowKey="id"
          size="small"
          columns={columns}
          dataSource={list.data ?? []}
          loading={list.isPending}
          pagination={false}
        />
      </div>
    </Card>
  );
}

function useAttachmentColumns(basePath: string): TableColumnsType<Attachment> {
  const t = useT();
  return useMemo(
    () => [
      {
        key: 'fileName',
        title: t('attachments.fileName'),
        render: (_, item) => (
          <a href={`${basePath}/${encodeURIComponent(item.id)}/content`} download={item.fileName}>
            {item.fileName}
          </a>
        ),
      },
      { key: 'kind', title: t('attachments.kind'), render: (_, item) => t(`attachments.kind.${item.kind}`) },
      { key: 'size', title: t('attachments.size'), render: (_, item) => formatBytes(item.sizeBytes) },
      { key: 'at', title: t('common.createdAt'), render: (_, item) => <DateText value={item.createdAt} /> },
    ],
    [t, basePath],
  );
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

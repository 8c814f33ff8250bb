import { InboxOutlined } from '@ant-design/icons';
import { SUPPORTED_DATE_FORMATS, type ImportKind, type ImportPreset } from '@huikuan/core';
import { Alert, Button, Card, Flex, Form, Radio, Select, Tooltip, Typography, Upload } from 'antd';
import { useState } from 'react';
import { useSession } from '../../app/session';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { Page } from '../../ui/Page';
import { useImportJob, usePreview, useStartJob, type ImportFileBody } from './api';
import { fileToBase64, missingRequired } from './file';
import { JobPanel } from './JobPanel';
import { MappingEditor, PreviewRows } from './MappingEditor';
import { useImportText } from './messages';
import { PresetBar, type PresetSettings } from './PresetBar';
import { RecentJobs } from './RecentJobs';

const KINDS: readonly ImportKind[] = ['customers', 'contracts', 'invoices', 'receipts'];
type FileOptions = Omit<PresetSettings, 'mapping'>;
const DEFAULT_OPTIONS: FileOptions = { encoding: 'auto', dateFormat: 'YYYY-MM-DD', decimalSeparator: '.' };
type LoadedFile = { serial: number; name: string; base64: string };

function OptionsForm({ options, onChange }: { options: FileOptions; onChange: (next: FileOptions) => void }) {
  const tx = useImportText();
  return (
    <Form layout="inline">
      <Form.Item label={tx('option.encoding')}>
        <Select
          data-testid="import-encoding"
          style={{ width: 130 }}
          value={options.encoding}
          onChange={(encoding: FileOptions['encoding']) => onChange({ ...options, encoding })}
          options={[
            { value: 'auto', label: tx('option.encoding.auto') },
            { value: 'utf-8', label: 'UTF-8' },
            { value: 'gbk', label: 'GBK' },
            { value: 'gb18030', label: 'GB18030' },
          ]}
        />
      </Form.Item>
      <Form.Item label={tx('option.dateFormat')}>
        <Select
          data-testid="import-date-format"
          style={{ width: 160 }}
          value={options.dateFormat}
          onChange={(dateFormat: string) => onChange({ ...options, dateFormat })}
          options={SUPPORTED_DATE_FORMATS.map((format) => ({ value: format, label: format }))}
        />
      </Form.Item>
      <Form.Item label={tx('option.decimal')}>
        <Select
          style={{ width: 170 }}
          value={options.decimalSeparator}
          onChange={(decimalSeparator: FileOptions['decimalSeparator']) =>
            onChange({ ...options, decimalSeparator })
          }
          options={[
            { value: '.', label: tx('option.decimal.dot') },
            { value: ',', label: tx('option.decimal.comma') },
          ]}
        />
      </Form.Item>
    </Form>
  );
}

function bodyOf(loaded: LoadedFile, options: FileOptions, mapping?: Record<string, string>): ImportFileBody {
  return {
    fileName: loaded.name,
    contentBase64: loaded.base64,
    ...options,
    ...(mapping === undefined ? {} : { mapping }),
  };
}

/** The whole import state of the page, and what changes it. */
function useImportFlow() {
  const [kind, setKind] = useState<ImportKind>('invoices');
  const [file, setFile] = useState<LoadedFile | null>(null);
  const [options, setOptions] = useState<FileOptions>(DEFAULT_OPTIONS);
  const [mapping, setMapping] = useState<Record<string, string>>({});
  const [presetId, setPresetId] = useState<string | null>(null);
  const [job, setJob] = useState<{ id: string; key: string } | null>(null);
  const preview = usePreview();
  const start = useStartJob();
  const jobQuery = useImportJob(job?.id ?? null);

  /** Reads the file's headers again; a given mapping overrides what the headers suggest. */
  const runPreview = (
    forKind: ImportKind,
    loaded: LoadedFile,
    fileOptions: FileOptions,
    over?: Record<string, string>,
  ) =>
    preview.mutate(
      { kind: forKind, body: bodyOf(loaded, fileOptions, over) },
      { onSuccess: (result) => setMapping(result.mapping) },
    );
  // Which file, kind, options and mapping a job ran with: Import is offered only after a clean dry run of these.
  const settingsKey = JSON.stringify([kind, file?.serial, options, mapping]);

  return {
    kind,
    file,
    options,
    mapping,
    presetId,
    preview,
    start,
    job: jobQuery.data ?? null,
    jobError: jobQuery.error,
    isCleanDryRun:
      job?.key === settingsKey &&
      jobQuery.data?.isDryRun === true &&
      jobQuery.data.status === 'succeeded' &&
      jobQuery.data.errorCount === 0,
    setMapping,
    openJob: (id: string) => setJob({ id, key: '' }),
    chooseKind: (next: ImportKind) => {
      setKind(next);
      setPresetId(null);
      setJob(null);
      if (file) runPreview(next, file, options);
    },
    loadFile: async (blob: File) => {
      const loaded = { serial: Date.now(), name: blob.name, base64: await fileToBase64(blob) };
      setFile(loaded);
      setJob(null);
      const presetMapping = presetId === null ? undefined : mapping;
      runPreview(kind, loaded, options, presetMapping);
    },
    changeOptions: (next: FileOptions) => {
      setOptions(next);
      if (file && next.encoding !== options.encoding) runPreview(kind, file, next, mapping);
    },
    applyPreset: (preset: ImportPreset | null) => {
      setPresetId(preset?.id ?? null);
      if (preset === null) return;
      const next = {
        encoding: preset.encoding,
        dateFormat: preset.dateFormat,
        decimalSeparator: preset.decimalSeparator,
      };
      setOptions(next);
      setMapping(preset.mapping);
      if (file) runPreview(kind, file, next, preset.mapping);
    },
    startJob: (isDryRun: boolean) => {
      if (!file) return;
      const body: ImportFileBody = bodyOf(file, options, mapping);
      start.mutate(
        { kind, body, isDryRun },
        { onSuccess: ({ jobId }) => setJob({ id: jobId, key: settingsKey }) },
      );
    },
  };
}

function ActionsBar({ flow, mayCommit }: { flow: ReturnType<typeof useImportFlow>; mayCommit: boolean }) {
  const tx = useImportText();
  const isRunning = flow.job !== null && (flow.job.status === 'queued' || flow.job.status === 'running');
  const missing = flow.preview.data ? missingRequired(flow.preview.data.fields, flow.mapping) : [];
  const canRun = flow.file !== null && flow.preview.data !== undefined && missing.length === 0 && !isRunning;
  const commitHint = !mayCommit
    ? tx('action.commitForbidden')
    : flow.isCleanDryRun
      ? ''
      : tx('action.commitHint');
  return (
    <Flex vertical gap={8}>
      {missing.length > 0 && (
        <Alert
          type="warning"
          showIcon
          title={tx('mapping.missingRequired', { fields: missing.map((name) => tx.field(name)).join('、') })}
        />
      )}
      <Flex gap={8}>
        <Button
          data-testid="import-dry-run"
          disabled={!canRun}
          loading={flow.start.isPending}
          onClick={() => flow.startJob(true)}
        >
          {tx('action.dryRun')}
        </Button>
        <Tooltip title={commitHint}>
          <Button
            data-testid="import-commit"
            type="primary"
            disabled={!canRun || !mayCommit || !flow.isCleanDryRun}
            onClick={() => flow.startJob(false)}
          >
            {tx('action.commit')}
          </Button>
        </Tooltip>
      </Flex>
      {flow.start.isError && <ErrorAlert error={flow.start.error} />}
    </Flex>
  );
}

function PreviewCard({ flow }: { flow: ReturnType<typeof useImportFlow> }) {
  const tx = useImportText();
  const preview = flow.preview.data;
  if (flow.preview.isError) return <ErrorAlert error={flow.preview.error} />;
  if (!preview || !flow.file) return null;
  return (
    <Card
      title={tx('preview.title')}
      extra={
        <PresetBar
          kind={flow.kind}
          selectedId={flow.presetId}
          current={{ ...flow.options, mapping: flow.mapping }}
          onSelect={flow.applyPreset}
        />
      }
    >
      <Flex vertical gap={12}>
        <Typography.Text type="secondary" data-testid="import-detected">
          {tx('preview.detected', {
            format: preview.format.toUpperCase(),
            encoding: preview.encoding?.toUpperCase() ?? '—',
            rows: preview.rowCount,
            line: preview.headerLine,
          })}
        </Typography.Text>
        {preview.headers.length > 0 && (
          <MappingEditor preview={preview} mapping={flow.mapping} onChange={flow.setMapping} />
        )}
        <Typography.Text strong>{tx('preview.rows', { count: preview.rows.length })}</Typography.Text>
        <PreviewRows preview={preview} />
      </Flex>
    </Card>
  );
}

/** 数据导入: choose what, upload, map columns (or load a preset), dry-run, then import, watching the progress. */
export function ImportsPage() {
  const tx = useImportText();
  const { user } = useSession();
  const flow = useImportFlow();
  const mayCommit = user.role === 'finance' || user.role === 'admin';
  return (
    <Page title={tx('title')}>
      <Card>
        <Flex vertical gap={16}>
          <Flex gap={12} align="center" wrap>
            <Typography.Text strong>{tx('step.kind')}</Typography.Text>
            <Radio.Group
              data-testid="import-kind"
              optionType="button"
              value={flow.kind}
              onChange={(event) => flow.chooseKind(event.target.value as ImportKind)}
              options={KINDS.map((kind) => ({ value: kind, label: tx(`kind.${kind}`) }))}
            />
          </Flex>
          <OptionsForm options={flow.options} onChange={flow.changeOptions} />
          <div data-testid="import-upload">
            <Upload.Dragger
              accept=".csv,.txt,.xlsx"
              multiple={false}
              showUploadList={false}
              beforeUpload={(file) => {
                void flow.loadFile(file);
                return false;
              }}
            >
              <p className="ant-upload-drag-icon">
                <InboxOutlined />
              </p>
              <p className="ant-upload-text">{flow.file?.name ?? tx('upload.hint')}</p>
              <p className="ant-upload-hint">
                {flow.preview.isPending ? tx('upload.reading') : tx('upload.note')}
              </p>
            </Upload.Dragger>
          </div>
          <ActionsBar flow={flow} mayCommit={mayCommit} />
        </Flex>
      </Card>
      {flow.jobError !== null && <ErrorAlert error={flow.jobError} />}
      {flow.job !== null && <JobPanel job={flow.job} />}
      <PreviewCard flow={flow} />
      <RecentJobs onOpen={flow.openJob} />
    </Page>
  );
}

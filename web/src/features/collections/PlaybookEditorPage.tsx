import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { DELINQUENCY_TYPES } from '@huikuan/core';
import { Alert, App, Button, Card, Collapse, Flex, Form, Input, Popconfirm, Select, Space, Tag } from 'antd';
import { useEffect } from 'react';
import { useT } from '../../app/locale';
import { useCan } from '../../app/session';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { useErrorText } from '../../ui/errors';
import { applyApiErrorToForm } from '../../ui/form-errors';
import { FullPageSpin } from '../../ui/FullPageSpin';
import { Page } from '../../ui/Page';
import { usePlaybook, useResetPlaybook, useSavePlaybook, type PlaybookDocument } from './api';
import { typeOptions } from './labels';

/** Two inputs for a text in both languages, at a form path. */
function BilingualInput({ name, testId }: { name: (string | number)[]; testId?: string }) {
  const t = useT();
  return (
    <Flex gap={8} style={{ flex: 1 }}>
      <Form.Item
        name={[...name, 'zh']}
        rules={[{ required: true, message: t('validation.required') }]}
        style={{ flex: 1, marginBottom: 8 }}
      >
        <Input.TextArea autoSize placeholder={t('collections.playbook.zh')} data-testid={testId} />
      </Form.Item>
      <Form.Item name={[...name, 'en']} style={{ flex: 1, marginBottom: 8 }}>
        <Input.TextArea autoSize placeholder={t('collections.playbook.en')} />
      </Form.Item>
    </Flex>
  );
}

/** An editable list of bilingual lines (strategy lines, checklist items, script lines). */
function LinesEditor({ name, testIdPrefix }: { name: (string | number)[]; testIdPrefix: string }) {
  const t = useT();
  return (
    <Form.List name={name}>
      {(fields, { add, remove }) => (
        <Flex vertical>
          {fields.map((field, index) => (
            <Flex key={field.key} gap={8} align="start">
              <BilingualInput name={[field.name]} testId={`${testIdPrefix}-${index}`} />
              <MinusCircleOutlined style={{ marginTop: 8 }} onClick={() => remove(field.name)} />
            </Flex>
          ))}
          <Button
            type="dashed"
            size="small"
            icon={<PlusOutlined />}
            onClick={() => add({ zh: '', en: '' })}
            data-testid={`${testIdPrefix}-add`}
          >
            {t('collections.playbook.addItem')}
          </Button>
        </Flex>
      )}
    </Form.List>
  );
}

/** 催收手册设置 (admins): the organization's own copy of the types' strategies, checklists and scripts. */
export function PlaybookEditorPage() {
  const t = useT();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const canEdit = useCan()('org.manage');
  const playbook = usePlaybook();
  const save = useSavePlaybook();
  const reset = useResetPlaybook();
  const [form] = Form.useForm<PlaybookDocument>();
  useEffect(() => {
    if (playbook.data) form.setFieldsValue(playbook.data.playbook);
  }, [playbook.data, form]);
  if (playbook.isPending) return <FullPageSpin />;
  if (playbook.isError) return <ErrorAlert error={playbook.error} onRetry={() => void playbook.refetch()} />;
  const onSave = (values: PlaybookDocument) =>
    save.mutate(values, {
      onSuccess: () => void message.success(t('collections.playbook.saved')),
      onError: (error) => {
        if (!applyApiErrorToForm(form, error, ['types', 'checklists', 'scripts']))
          void message.error(errorText(error));
      },
    });
  return (
    <Page
      title={t('collections.playbook.editor')}
      extra={
        <Space>
          <Tag color={playbook.data.isCustomized ? 'blue' : 'default'} data-testid="playbook-status">
            {t(
              playbook.data.isCustomized
                ? 'collections.playbook.customized'
                : 'collections.playbook.defaults',
            )}
          </Tag>
          {canEdit ? (
            <>
              <Popconfirm
                title={t('collections.playbook.reset')}
                onConfirm={() =>
                  reset.mutate(undefined, { onError: (error) => void message.error(errorText(error)) })
                }
              >
                <Button loading={reset.isPending}>{t('collections.playbook.reset')}</Button>
              </Popconfirm>
              <Button
                type="primary"
                loading={save.isPending}
                onClick={() => form.submit()}
                data-testid="playbook-save"
              >
                {t('common.save')}
              </Button>
            </>
          ) : null}
        </Space>
      }
    >
      {canEdit ? null : <Alert type="info" showIcon title={t('common.readOnly')} />}
      <Form
        form={form}
        layout="vertical"
        disabled={!canEdit}
        // The whole store, not only the rendered fields: keys and untouched entries travel unchanged.
        onFinish={() => onSave(form.getFieldsValue(true) as PlaybookDocument)}
      >
        <Card size="small" title={t('collections.playbook.types')}>
          <Collapse
            size="small"
            items={DELINQUENCY_TYPES.map((type) => ({
              key: type,
              label: typeOptions(t).find((option) => option.value === type)?.label ?? type,
              children: (
                <Flex vertical gap={4}>
                  <BilingualInput name={['types', type, 'name']} />
                  <Form.Item name={['types', type, 'approach']} label={t('collections.col.approach')}>
                    <Select
                      style={{ width: 160 }}
                      options={[
                        { value: 'soft', label: t('collections.approach.soft') },
                        { value: 'hard', label: t('collections.approach.hard') },
                      ]}
                    />
                  </Form.Item>
                  <LinesEditor name={['types', type, 'strategy']} testIdPrefix={`playbook-${type}`} />
                </Flex>
              ),
            }))}
          />
        </Card>
        <Card size="small" title={t('collections.playbook.checklists')} style={{ marginTop: 16 }}>
          <Form.List name="checklists">
            {(fields) => (
              <Collapse
                size="small"
                items={fields.map((field, index) => ({
                  key: field.key,
                  label:
                    (form.getFieldValue(['checklists', field.name, 'title', 'zh']) as string | undefined) ??
                    `#${index + 1}`,
                  children: (
                    <Flex vertical gap={4}>
                      <BilingualInput name={[field.name, 'title']} />
                      <LinesEditor
                        name={[field.name, 'items']}
                        testIdPrefix={`playbook-checklist-${index}`}
                      />
                    </Flex>
                  ),
                }))}
              />
            )}
          </Form.List>
        </Card>
        <Card size="small" title={t('collections.playbook.scripts')} style={{ marginTop: 16 }}>
          <Form.List name="scripts">
            {(fields) => (
              <Collapse
                size="small"
                items={fields.map((field, index) => ({
                  key: field.key,
                  label:
                    (form.getFieldValue(['scripts', field.name, 'situation', 'zh']) as string | undefined) ??
                    `#${index + 1}`,
                  children: (
                    <Flex vertical gap={4}>
                      <BilingualInput name={[field.name, 'situation']} />
                      <Form.Item name={[field.name, 'types']} label={t('collections.case.type')}>
                        <Select mode="multiple" allowClear options={typeOptions(t)} />
                      </Form.Item>
                      <LinesEditor name={[field.name, 'lines']} testIdPrefix={`playbook-script-${index}`} />
                    </Flex>
                  ),
                }))}
              />
            )}
          </Form.List>
        </Card>
      </Form>
    </Page>
  );
}

import type { ImportKind, ImportPreset } from '@huikuan/core';
import { App, Button, Flex, Input, Modal, Select } from 'antd';
import { useState } from 'react';
import { useErrorText } from '../../ui/errors';
import { useCreatePreset, usePresets, useUpdatePreset } from './api';
import { useImportText } from './messages';

export type PresetSettings = Pick<ImportPreset, 'mapping' | 'encoding' | 'dateFormat' | 'decimalSeparator'>;

type PresetBarProps = {
  kind: ImportKind;
  selectedId: string | null;
  current: PresetSettings;
  onSelect: (preset: ImportPreset | null) => void;
};

/** Load a saved mapping, or save the one on screen (as a new preset, or over the selected one). */
export function PresetBar({ kind, selectedId, current, onSelect }: PresetBarProps) {
  const tx = useImportText();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const presets = usePresets(kind);
  const create = useCreatePreset();
  const update = useUpdatePreset();
  const [isSaving, setSaving] = useState(false);
  const [name, setName] = useState('');
  const selected = presets.data?.find((preset) => preset.id === selectedId) ?? null;

  const save = () => {
    const onError = (error: unknown) => void message.error(errorText(error));
    if (selected !== null && selected.name === name.trim()) {
      update.mutate(
        { id: selected.id, body: current },
        { onSuccess: () => (setSaving(false), void message.success(tx('preset.updated'))), onError },
      );
      return;
    }
    create.mutate(
      { name: name.trim(), kind, ...current },
      {
        onSuccess: (preset) => {
          setSaving(false);
          onSelect(preset);
          void message.success(tx('preset.saved'));
        },
        onError,
      },
    );
  };

  return (
    <Flex gap={8} wrap align="center">
      <Select
        data-testid="preset-select"
        style={{ minWidth: 240 }}
        allowClear
        placeholder={tx('preset.placeholder')}
        loading={presets.isLoading}
        value={selectedId ?? undefined}
        options={(presets.data ?? []).map((preset) => ({ value: preset.id, label: preset.name }))}
        onChange={(id: string | undefined) =>
          onSelect(presets.data?.find((preset) => preset.id === id) ?? null)
        }
      />
      <Button
        data-testid="preset-save"
        onClick={() => {
          setName(selected?.name ?? '');
          setSaving(true);
        }}
      >
        {tx('preset.save')}
      </Button>
      <Modal
        open={isSaving}
        title={tx('preset.save')}
        okButtonProps={{ disabled: name.trim() === '', 'data-testid': 'preset-save-ok' }}
        confirmLoading={create.isPending || update.isPending}
        onOk={save}
        onCancel={() => setSaving(false)}
        destroyOnHidden
      >
        <Input
          data-testid="preset-name"
          placeholder={tx('preset.name')}
          value={name}
          maxLength={100}
          onChange={(event) => setName(event.target.value)}
          onPressEnter={() => name.trim() !== '' && save()}
        />
      </Modal>
    </Flex>
  );
}

import type { SalesContractDetail } from '@huikuan/core/contracts';
import { Alert, App, Form, Modal } from 'antd';
import { useState } from 'react';
import { useT } from '../../app/locale';
import { useErrorText } from '../../ui/errors';
import { applyApiErrorToForm } from '../../ui/form-errors';
import { ModalFooter } from '../../ui/ModalFooter';
import { useReplacePlan } from './api';
import { fromPlanNode, toPlanNodeInput, type PlanNodeValues } from './plan-node-values';
import { PlanNodesEditor } from './PlanNodesEditor';

/** Replaces the whole plan; the server refuses changes that would orphan received money. */
export function EditPlanModal({ contract, onClose }: { contract: SalesContractDetail; onClose: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const [form] = Form.useForm<{ nodes: PlanNodeValues[] }>();
  const replace = useReplacePlan(contract.id);
  const [failure, setFailure] = useState<unknown>(null);
  const submit = ({ nodes }: { nodes: PlanNodeValues[] }) => {
    setFailure(null);
    replace.mutate((nodes ?? []).map(toPlanNodeInput), {
      onSuccess: () => {
        void message.success(t('common.saved'));
        onClose();
      },
      onError: (error) => {
        if (!applyApiErrorToForm(form, error, ['nodes'])) setFailure(error);
      },
    });
  };
  return (
    <Modal
      open
      width={960}
      title={t('contracts.editPlan')}
      onCancel={onClose}
      footer={
        <ModalFooter
          onCancel={onClose}
          onOk={() => form.submit()}
          isLoading={replace.isPending}
          okTestId="plan-save"
        />
      }
    >
      {failure === null ? null : (
        <Alert type="error" showIcon title={errorText(failure)} style={{ marginBottom: 16 }} />
      )}
      <Form
        form={form}
        layout="vertical"
        initialValues={{ nodes: contract.planNodes.map(fromPlanNode) }}
        onFinish={submit}
      >
        <PlanNodesEditor listName="nodes" />
      </Form>
    </Modal>
  );
}

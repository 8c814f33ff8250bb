import type { Activity, CaseDetail, DisputeDetail, PromiseToPay } from '@huikuan/core/contracts';
import {
  App,
  Button,
  Card,
  Col,
  Descriptions,
  Flex,
  List,
  Popconfirm,
  Row,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { useT } from '../../app/locale';
import { useCan } from '../../app/session';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { useErrorText } from '../../ui/errors';
import { FullPageSpin } from '../../ui/FullPageSpin';
import { MoneyText } from '../../ui/MoneyText';
import { Page } from '../../ui/Page';
import { useCancelPromise, useCase, useCompleteTask, useDisputeAction } from './api';
import {
  CaseSettingsModal,
  LogCallModal,
  NoteModal,
  PlanVisitModal,
  RaiseDisputeModal,
  ResolveValidModal,
  VisitResultModal,
} from './CaseModals';
import { ApproachTag, attitudeLabel, nextStepText, ReasonsText, scoreColor, typeLabel } from './labels';
import { PlaybookPanel } from './PlaybookPanel';
import { CollectionTimeline } from './TimelineTab';

type Dialog =
  | { kind: 'call'; taskId?: string }
  | { kind: 'visit'; visitId?: string }
  | { kind: 'visit-result'; visitId: string }
  | { kind: 'note' }
  | { kind: 'settings' }
  | { kind: 'dispute' }
  | { kind: 'dispute-valid'; dispute: DisputeDetail };

/** A customer's collection case: summary, what is open, the actions, the timeline and the playbook beside it. */
export function CaseDetailPage() {
  const t = useT();
  const { id = '' } = useParams();
  const canWrite = useCan()('records.write');
  const detail = useCase(id);
  const [dialog, setDialog] = useState<Dialog | null>(null);
  if (detail.isPending) return <FullPageSpin />;
  if (detail.isError) return <ErrorAlert error={detail.error} onRetry={() => void detail.refetch()} />;
  const data = detail.data;
  const close = () => setDialog(null);
  return (
    <Page
      title={t('collections.case.title', { name: `${data.case.customerCode} · ${data.case.customerName}` })}
      extra={
        <Space wrap>
          <Link to={`/customers/${id}`}>{t('collections.case.customerPage')}</Link>
          {canWrite ? (
            <>
              <Button type="primary" onClick={() => setDialog({ kind: 'call' })} data-testid="case-log-call">
                {t('collections.action.call')}
              </Button>
              <Button onClick={() => setDialog({ kind: 'visit' })} data-testid="case-plan-visit">
                {t('collections.action.visit')}
              </Button>
              <Button onClick={() => setDialog({ kind: 'note' })} data-testid="case-add-note">
                {t('collections.action.note')}
              </Button>
              <Button onClick={() => setDialog({ kind: 'dispute' })} data-testid="case-raise-dispute">
                {t('collections.action.dispute')}
              </Button>
              <Button onClick={() => setDialog({ kind: 'settings' })} data-testid="case-settings">
                {t('collections.case.settings')}
              </Button>
            </>
          ) : null}
        </Space>
      }
    >
      <Row gutter={16}>
        <Col xs={24} xl={16}>
          <Flex vertical gap={16}>
            <CaseSummary detail={data} />
            <InvoicesCard detail={data} />
            <TasksCard detail={data} canWrite={canWrite} onDialog={setDialog} />
            <PromisesCard promises={data.openPromises} canWrite={canWrite} />
            <DisputesCard disputes={data.openDisputes} canWrite={canWrite} onDialog={setDialog} />
            <CollectionTimeline customerId={id} />
          </Flex>
        </Col>
        <Col xs={24} xl={8}>
          <PlaybookPanel type={data.case.delinquencyType} />
        </Col>
      </Row>
      {dialog?.kind === 'call' ? <LogCallModal detail={data} taskId={dialog.taskId} onClose={close} /> : null}
      {dialog?.kind === 'visit' ? (
        <PlanVisitModal detail={data} visitId={dialog.visitId} onClose={close} />
      ) : null}
      {dialog?.kind === 'visit-result' ? <VisitResultModal visitId={dialog.visitId} onClose={close} /> : null}
      {dialog?.kind === 'note' ? <NoteModal customerId={id} onClose={close} /> : null}
      {dialog?.kind === 'settings' ? <CaseSettingsModal detail={data} onClose={close} /> : null}
      {dialog?.kind === 'dispute' ? <RaiseDisputeModal detail={data} onClose={close} /> : null}
      {dialog?.kind === 'dispute-valid' ? (
        <ResolveValidModal dispute={dialog.dispute} onClose={close} />
      ) : null}
    </Page>
  );
}

function CaseSummary({ detail }: { detail: CaseDetail }) {
  const t = useT();
  const row = detail.case;
  return (
    <Card size="small" title={t('collections.case.summary')} data-testid="case-summary">
      <Flex gap={8} align="center" wrap style={{ marginBottom: 8 }}>
        <Tag color={scoreColor(row.score)} data-testid="case-score">
          {row.score}
        </Tag>
        <ApproachTag row={row} />
        {row.hasBrokenPromise ? (
          <Tag color="red" data-testid="case-broken-tag">
            {t('collections.brokenTag')}
          </Tag>
        ) : null}
        <Typography.Text data-testid="case-next-step">
          {t('collections.col.nextStep')}：{nextStepText(t, row.nextStep)}
        </Typography.Text>
      </Flex>
      <ReasonsText reasons={row.reasons} />
      <Descriptions size="small" column={{ xs: 1, md: 3 }} style={{ marginTop: 8 }}>
        <Descriptions.Item label={t('collections.case.open')}>
          <MoneyText amount={row.open} currency={row.currency} />
        </Descriptions.Item>
        <Descriptions.Item label={t('collections.case.overdue')}>
          <MoneyText amount={row.overdue} currency={row.currency} />
        </Descriptions.Item>
        <Descriptions.Item label={t('collections.case.disputed')}>
          <MoneyText amount={row.disputed} currency={row.currency} />
        </Descriptions.Item>
        <Descriptions.Item label={t('collections.case.type')}>
          <span data-testid="case-type-label">{typeLabel(t, row.delinquencyType)}</span>
        </Descriptions.Item>
        <Descriptions.Item label={t('collections.case.attitude')}>
          {attitudeLabel(t, row.attitude)}
        </Descriptions.Item>
        <Descriptions.Item label={t('collections.case.collector')}>
          {row.collectorName ?? '—'}
        </Descriptions.Item>
        <Descriptions.Item label={t('collections.case.rating')}>{row.rating ?? '—'}</Descriptions.Item>
        <Descriptions.Item label={t('collections.case.lastContact')}>
          {row.lastContactOn ?? '—'}
        </Descriptions.Item>
        <Descriptions.Item label={t('collections.case.snoozed')}>{row.snoozedUntil ?? '—'}</Descriptions.Item>
      </Descriptions>
    </Card>
  );
}

function InvoicesCard({ detail }: { detail: CaseDetail }) {
  const t = useT();
  return (
    <Card size="small" title={t('collections.case.invoices')}>
      <Table
        rowKey="invoiceId"
        size="small"
        pagination={false}
        dataSource={detail.invoices}
        data-testid="case-invoices"
        columns={[
          {
            title: t('collections.col.invoice'),
            render: (_v, invoice) => <Link to={`/invoices/${invoice.invoiceId}`}>{invoice.number}</Link>,
          },
          { title: t('collections.col.dueDate'), dataIndex: 'dueDate' },
          {
            title: t('collections.col.days'),
            render: (_v, invoice) =>
              invoice.daysOverdue > 0 ? t('collections.days', { days: invoice.daysOverdue }) : '—',
          },
          {
            title: t('collections.col.open'),
            align: 'right',
            render: (_v, invoice) => <MoneyText amount={invoice.open} currency={invoice.currency} />,
          },
          {
            title: t('collections.col.disputed'),
            align: 'right',
            render: (_v, invoice) => <MoneyText amount={invoice.disputed} currency={invoice.currency} />,
          },
          {
            title: '',
            render: (_v, invoice) =>
              invoice.isPromised ? <Tag color="blue">{t('collections.promisedTag')}</Tag> : null,
          },
        ]}
      />
    </Card>
  );
}

function taskLabel(t: ReturnType<typeof useT>, task: Activity): string {
  if (task.kind === 'visit') return t('collections.timeline.kind.visit');
  return t(`collections.task.type.${task.taskType ?? 'follow_up'}`);
}

function TasksCard({
  detail,
  canWrite,
  onDialog,
}: {
  detail: CaseDetail;
  canWrite: boolean;
  onDialog: (dialog: Dialog) => void;
}) {
  const t = useT();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const complete = useCompleteTask();
  return (
    <Card size="small" title={t('collections.case.tasks')}>
      <List
        size="small"
        dataSource={detail.openTasks}
        locale={{ emptyText: t('collections.task.empty') }}
        data-testid="case-tasks"
        renderItem={(task) => (
          <List.Item
            actions={
              canWrite
                ? task.kind === 'visit'
                  ? [
                      <Button
                        key="plan"
                        size="small"
                        onClick={() => onDialog({ kind: 'visit', visitId: task.id })}
                      >
                        {t('collections.action.visit')}
                      </Button>,
                      <Button
                        key="result"
                        size="small"
                        onClick={() => onDialog({ kind: 'visit-result', visitId: task.id })}
                      >
                        {t('collections.action.result')}
                      </Button>,
                    ]
                  : [
                      task.taskType === 'call' ? (
                        <Button
                          key="call"
                          size="small"
                          type="primary"
                          onClick={() => onDialog({ kind: 'call', taskId: task.id })}
                          data-testid="task-log-call"
                        >
                          {t('collections.action.call')}
                        </Button>
                      ) : null,
                      <Button
                        key="done"
                        size="small"
                        loading={complete.isPending}
                        onClick={() =>
                          complete.mutate(task.id, {
                            onSuccess: () => void message.success(t('collections.task.done')),
                            onError: (error) => void message.error(errorText(error)),
                          })
                        }
                      >
                        {t('collections.action.done')}
                      </Button>,
                    ]
                : []
            }
          >
            <List.Item.Meta
              title={
                <Space size={4}>
                  <Tag>{taskLabel(t, task)}</Tag>
                  <span>{task.title}</span>
                </Space>
              }
              description={`${task.dueOn ?? ''}${task.assigneeName ? ` · ${task.assigneeName}` : ''}${
                task.assigneeRole ? ` · ${t('collections.task.forRole', { role: task.assigneeRole })}` : ''
              }`}
            />
          </List.Item>
        )}
      />
    </Card>
  );
}

function PromisesCard({ promises, canWrite }: { promises: PromiseToPay[]; canWrite: boolean }) {
  const t = useT();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const cancel = useCancelPromise();
  return (
    <Card size="small" title={t('collections.case.promises')}>
      <List
        size="small"
        dataSource={promises}
        locale={{ emptyText: t('collections.promise.empty') }}
        data-testid="case-promises"
        renderItem={(promise) => (
          <List.Item
            actions={
              canWrite
                ? [
                    <Popconfirm
                      key="cancel"
                      title={t('collections.promise.cancel')}
                      onConfirm={() =>
                        cancel.mutate(
                          { id: promise.id, reason: t('collections.promise.cancel') },
                          { onError: (error) => void message.error(errorText(error)) },
                        )
                      }
                    >
                      <Button size="small">{t('collections.promise.cancel')}</Button>
                    </Popconfirm>,
                  ]
                : []
            }
          >
            <Flex vertical gap={2}>
              <Space size={4} wrap>
                <Tag color="blue">{t(`collections.promise.status.${promise.status}`)}</Tag>
                <span>
                  {t('collections.promise.total')}{' '}
                  <MoneyText amount={promise.total} currency={promise.currency} />
                </span>
                <span>
                  {t('collections.promise.paid')}{' '}
                  <MoneyText amount={promise.paid} currency={promise.currency} />
                </span>
                {promise.nextDeadline ? (
                  <span>
                    {t('collections.promise.nextDeadline')} {promise.nextDeadline}
                  </span>
                ) : null}
              </Space>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {promise.instalments
                  .map(
                    (instalment) =>
                      `${instalment.dueOn} ${instalment.amount}（${t(`collections.promise.status.${instalment.state === 'pending' ? 'open' : instalment.state}`)}）`,
                  )
                  .join('；')}
                {promise.invoiceNumbers.length > 0 ? ` · ${promise.invoiceNumbers.join('、')}` : ''}
              </Typography.Text>
            </Flex>
          </List.Item>
        )}
      />
    </Card>
  );
}

function DisputesCard({
  disputes,
  canWrite,
  onDialog,
}: {
  disputes: DisputeDetail[];
  canWrite: boolean;
  onDialog: (dialog: Dialog) => void;
}) {
  const t = useT();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const action = useDisputeAction();
  const onError = (error: unknown) => void message.error(errorText(error));
  return (
    <Card size="small" title={t('collections.case.disputes')}>
      <List
        size="small"
        dataSource={disputes}
        locale={{ emptyText: t('disputes.empty') }}
        data-testid="case-disputes"
        renderItem={(dispute) => (
          <List.Item
            actions={
              canWrite
                ? [
                    <Button
                      key="valid"
                      size="small"
                      onClick={() => onDialog({ kind: 'dispute-valid', dispute })}
                    >
                      {t('collections.dispute.resolveValid')}
                    </Button>,
                    <Popconfirm
                      key="invalid"
                      title={t('collections.dispute.resolveInvalid')}
                      onConfirm={() =>
                        action.mutate(
                          { kind: 'resolution', id: dispute.id, body: { outcome: 'invalid' } },
                          {
                            onSuccess: () => void message.success(t('collections.dispute.updated')),
                            onError,
                          },
                        )
                      }
                    >
                      <Button size="small" data-testid="dispute-invalid">
                        {t('collections.dispute.resolveInvalid')}
                      </Button>
                    </Popconfirm>,
                    <Popconfirm
                      key="withdraw"
                      title={t('collections.dispute.withdraw')}
                      onConfirm={() =>
                        action.mutate({ kind: 'withdraw', id: dispute.id, body: {} }, { onError })
                      }
                    >
                      <Button size="small">{t('collections.dispute.withdraw')}</Button>
                    </Popconfirm>,
                  ]
                : []
            }
          >
            <Flex vertical gap={2}>
              <Space size={4} wrap>
                <Tag color="orange">{t(`disputes.reason.${dispute.reasonCode}`)}</Tag>
                <span>{dispute.invoiceNumber ?? t('disputes.invoiceNone')}</span>
                <MoneyText amount={dispute.amount} currency={dispute.currency} />
                {dispute.pausesChasing ? <Tag color="gold">{t('collections.dispute.paused')}</Tag> : null}
              </Space>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {t('collections.dispute.owner')}：{dispute.ownerName ?? '—'}
                {dispute.description ? ` · ${dispute.description}` : ''}
              </Typography.Text>
            </Flex>
          </List.Item>
        )}
      />
    </Card>
  );
}

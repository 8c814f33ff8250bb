import type { Locale } from '@huikuan/core';
import type { CommissionStatement } from '@huikuan/core/contracts';
import type { Content, TableCell } from 'pdfmake/interfaces';
import { recordAudit } from '../../platform/audit';
import type { AppDeps } from '../../platform/deps';
import { toXlsx, type ExportFile } from '../../platform/export';
import { groupedAmount, pageNumberFooter, renderPdf } from '../../platform/pdf';
import type { Actor } from '../../platform/request-context';
import { getCommissionStatement } from './commission-statements';

type Line = CommissionStatement['lines'][number];

const REASONS: Record<string, { 'zh-CN': string; en: string }> = {
  on_time: { 'zh-CN': '按期', en: 'on time' },
  late: { 'zh-CN': '逾期', en: 'late' },
  old_debt: { 'zh-CN': '陈欠', en: 'old debt' },
  prepayment: { 'zh-CN': '预付款', en: 'prepayment' },
  not_sales_caused_excluded: { 'zh-CN': '非销售原因（不计）', en: 'not caused by sales (excluded)' },
  not_sales_caused_reduced: { 'zh-CN': '非销售原因（减计）', en: 'not caused by sales (reduced)' },
  full_early_payment: { 'zh-CN': '全款提前到位', en: 'paid in full early' },
  overdue_penalty: { 'zh-CN': '逾期罚扣', en: 'overdue penalty' },
  clawback: { 'zh-CN': '冲回', en: 'clawback' },
};

function reasonsText(line: Line, locale: Locale): string {
  return line.reasons
    .map((reason) => REASONS[reason]?.[locale] ?? reason)
    .join(locale === 'zh-CN' ? '、' : ', ');
}

function percent(rate: string): string {
  // The exact rate is a decimal fraction; shown as a percentage by moving the point two places, never via a float.
  const [whole = '0', fraction = ''] = rate.replace('-', '').split('.');
  const digits = `${whole}${fraction.padEnd(2, '0')}`;
  const intPart = digits.slice(0, whole.length + 2).replace(/^0+(?=\d)/, '');
  const rest = digits.slice(whole.length + 2);
  return `${rate.startsWith('-') ? '-' : ''}${intPart}${rest ? `.${rest}` : ''}%`;
}

function headers(locale: Locale): string[] {
  return locale === 'zh-CN'
    ? [
        '序号',
        '日期',
        '客户',
        '发票',
        '到期日',
        '逾期天数',
        '账龄天数',
        '说明',
        '币种',
        '基数',
        '比例',
        '提成',
      ]
    : [
        'No.',
        'Date',
        'Customer',
        'Invoice',
        'Due',
        'Days late',
        'Age (days)',
        'Reason',
        'Currency',
        'Base',
        'Rate',
        'Commission',
      ];
}

function cells(line: Line, locale: Locale): string[] {
  return [
    String(line.lineNo),
    line.on,
    line.customerCode ? `${line.customerCode} ${line.customerName ?? ''}`.trim() : '',
    line.invoiceNumber ?? '',
    line.dueDate ?? '',
    line.daysLate === null ? '' : String(line.daysLate),
    line.ageDays === null ? '' : String(line.ageDays),
    reasonsText(line, locale),
    line.currency,
    line.base,
    percent(line.rate),
    line.commission,
  ];
}

function titleOf(statement: CommissionStatement, locale: Locale): string {
  return locale === 'zh-CN'
    ? `提成结算单 ${statement.period} ${statement.salespersonName}`
    : `Commission statement ${statement.period} ${statement.salespersonName}`;
}

function statusText(statement: CommissionStatement, locale: Locale): string {
  if (statement.status === 'draft') return locale === 'zh-CN' ? '草稿（未锁定）' : 'Draft (not locked)';
  return locale === 'zh-CN'
    ? `已审核锁定 ${statement.lockedAt ?? ''}`
    : `Approved and locked ${statement.lockedAt ?? ''}`;
}

async function statementXlsx(statement: CommissionStatement, locale: Locale): Promise<Buffer> {
  const head = headers(locale);
  const rows = statement.lines.map((line) => cells(line, locale));
  const totalLabel = locale === 'zh-CN' ? '合计' : 'Total';
  for (const total of statement.totals) {
    rows.push([
      totalLabel,
      '',
      '',
      '',
      '',
      '',
      '',
      locale === 'zh-CN' ? `回款 ${total.collected}` : `Collected ${total.collected}`,
      total.currency,
      '',
      '',
      total.commission,
    ]);
  }
  const moneyColumns = new Set([9, 11]);
  return toXlsx(
    rows,
    head.map((header, index) => ({
      header,
      kind: moneyColumns.has(index) ? ('money' as const) : ('text' as const),
      value: (row: string[]) => row[index] ?? '',
    })),
    locale === 'zh-CN' ? '提成结算单' : 'Commission statement',
  );
}

/**
 * The PDF is laid out from the statement alone and dated by its lock (a draft by its period's end), so a locked
 * statement prints to the same bytes every time.
 */
function statementPdf(statement: CommissionStatement, locale: Locale, organization: string): Promise<Buffer> {
  const head = headers(locale);
  const right = new Set([0, 5, 6, 9, 10, 11]);
  const body: TableCell[][] = [
    head.map((text, index) => ({
      text,
      bold: true,
      fillColor: '#eeeeee',
      alignment: right.has(index) ? 'right' : 'left',
    })),
    ...statement.lines.map((line) =>
      cells(line, locale).map((text, index) => ({
        text: index === 9 || index === 11 ? groupedAmount(text) : text,
        alignment: right.has(index) ? ('right' as const) : ('left' as const),
      })),
    ),
  ];
  const totals: Content[] = statement.totals.map((total) => ({
    text:
      locale === 'zh-CN'
        ? `合计（${total.currency}）：回款 ${groupedAmount(total.collected)}，提成 ${groupedAmount(total.commission)}`
        : `Total (${total.currency}): collected ${groupedAmount(total.collected)}, commission ${groupedAmount(total.commission)}`,
    bold: true,
    margin: [0, 6, 0, 0],
  }));
  const datedAt = new Date(statement.lockedAt ?? `${statement.to}T00:00:00Z`);
  return renderPdf({
    pageSize: 'A4',
    pageOrientation: 'landscape',
    pageMargins: [36, 36, 36, 48],
    info: { title: titleOf(statement, locale), creationDate: datedAt, modDate: datedAt },
    footer: pageNumberFooter(locale),
    content: [
      { text: titleOf(statement, locale), fontSize: 15, bold: true, margin: [0, 0, 0, 4] },
      { text: organization, fontSize: 10, margin: [0, 0, 0, 2] },
      {
        text: `${locale === 'zh-CN' ? '期间' : 'Period'} ${statement.from} – ${statement.to}    ${statusText(statement, locale)}`,
        fontSize: 9,
        color: '#444444',
      },
      {
        margin: [0, 10, 0, 0],
        table: { headerRows: 1, widths: head.map(() => 'auto'), body },
        layout: { hLineWidth: () => 0.5, vLineWidth: () => 0.5 },
        fontSize: 8,
      },
      ...totals,
    ],
  });
}

/** Downloads a statement (audited, like every report download) as XLSX or PDF in the caller's language. */
export async function exportCommissionStatement(
  deps: AppDeps,
  actor: Actor,
  salespersonId: string,
  requestedMonth: string | undefined,
  format: 'xlsx' | 'pdf',
  locale: Locale,
): Promise<ExportFile> {
  const statement = await getCommissionStatement(deps, actor, salespersonId, requestedMonth);
  const month = statement.period;
  const organization = await deps.db.tenant(actor.tenantId, async (tx) => {
    await recordAudit(tx, actor, {
      action: 'report.exported',
      entityType: 'export',
      entityId: 'commission_statement',
      after: { report: 'commission_statement', format, query: { salespersonId, period: month } },
    });
    const org = await tx
      .selectFrom('organizations')
      .select('name')
      .where('tenant_id', '=', actor.tenantId)
      .executeTakeFirstOrThrow();
    return org.name;
  });
  const stem = locale === 'zh-CN' ? '提成结算单' : 'commission-statement';
  const content =
    format === 'pdf'
      ? await statementPdf(statement, locale, organization)
      : await statementXlsx(statement, locale);
  return {
    fileName: `${stem}-${month}-${statement.salespersonName}.${format}`,
    contentType:
      format === 'pdf'
        ? 'application/pdf'
        : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    content,
  };
}

import type { Locale } from '@huikuan/core';
import {
  agingColumnLabel,
  receivableClassLabel,
  type AgingDimension,
  type AgingReport,
  type AgingView,
  type KpiReport,
  type KpiRow,
  type KpiTrend,
  type ProvisionReport,
  type TopOverdueReport,
} from '@huikuan/core/contracts';
import type { ReportCell, ReportTable } from './report-export';

/** Each report's rows as a download table, with column titles and filter words in the caller's language. */

type Words = { 'zh-CN': string; en: string };
const w = (zhCN: string, en: string): Words => ({ 'zh-CN': zhCN, en });

const DIMENSION: Record<AgingDimension, Words> = {
  customer: w('客户', 'Customer'),
  salesperson: w('销售员', 'Salesperson'),
  team: w('团队', 'Team'),
  contract: w('合同', 'Contract'),
  plan_node: w('回款节点', 'Plan node'),
};
const BASIS: Record<'due_date' | 'invoice_date', Words> = {
  due_date: w('按到期日', 'From due date'),
  invoice_date: w('按开票日', 'From invoice date'),
};
const VIEW: Record<AgingView, Words> = {
  buckets: w('账龄段', 'Buckets'),
  classes: w('账款类别', 'Classes'),
  vintage: w('发生年度', 'Year of origin'),
  condition: w('产品状况', 'Product condition'),
};

const WORDS = {
  total: w('合计', 'Total'),
  none: w('（无）', '(none)'),
  currency: w('币种', 'Currency'),
  name: w('名称', 'Name'),
  groupBy: w('分组', 'Group by'),
  basis: w('账龄基准', 'Basis'),
  view: w('视图', 'View'),
};

/** The grouping dimension in words, e.g. for naming the group of a drill-down. */
export function dimensionLabel(by: AgingDimension, locale: Locale): string {
  return DIMENSION[by][locale];
}

function key(value: string, locale: Locale): string {
  return value === '(none)' ? WORDS.none[locale] : value;
}

export function agingTable(report: AgingReport, locale: Locale, query: Record<string, unknown>): ReportTable {
  const columns: ReportTable['columns'] = [
    { header: DIMENSION[report.by][locale], kind: 'text' },
    { header: WORDS.name[locale], kind: 'text' },
    { header: WORDS.currency[locale], kind: 'text' },
    ...report.columns.map((column) => ({ header: agingColumnLabel(column, locale), kind: 'money' as const })),
    { header: WORDS.total[locale], kind: 'money' },
  ];
  const rows: ReportCell[][] = report.currencies.flatMap((section) =>
    section.rows.map((row) => [
      key(row.key, locale),
      row.name,
      section.currency,
      ...report.columns.map((column) => row.columns[column] ?? null),
      row.total,
    ]),
  );
  const totals: ReportCell[][] = report.currencies.map((section) => [
    WORDS.total[locale],
    '',
    section.currency,
    ...report.columns.map((column) => section.totals[column] ?? null),
    section.total,
  ]);
  return {
    report: 'aging',
    title: locale === 'zh-CN' ? '账龄分析表' : 'Receivables aging',
    fileStem: locale === 'zh-CN' ? '账龄分析' : 'aging',
    asOf: report.asOf,
    filters: [
      { label: WORDS.groupBy[locale], value: DIMENSION[report.by][locale] },
      { label: WORDS.basis[locale], value: BASIS[report.basis][locale] },
      { label: WORDS.view[locale], value: VIEW[report.view][locale] },
    ],
    columns,
    rows,
    totals,
    query,
  };
}

export type AgingItemRow = {
  number: string;
  customerCode: string;
  invoiceDate: string;
  dueDate: string;
  daysPastDue: number;
  currency: string;
  total: string;
  open: string;
};

/** Per-currency totals of decimal strings, exactly (BigInt of the digits at a fixed scale per currency). */
function sumDecimals(values: readonly string[]): string {
  const scale = Math.max(0, ...values.map((value) => value.split('.')[1]?.length ?? 0));
  const minor = values.reduce((sum, value) => {
    const [whole = '0', fraction = ''] = value.replace('-', '').split('.');
    const digits = BigInt(`${whole}${fraction.padEnd(scale, '0')}`);
    return sum + (value.startsWith('-') ? -digits : digits);
  }, 0n);
  const sign = minor < 0n ? '-' : '';
  const text = (minor < 0n ? -minor : minor).toString().padStart(scale + 1, '0');
  return scale === 0 ? `${sign}${text}` : `${sign}${text.slice(0, -scale)}.${text.slice(-scale)}`;
}

function currenciesOf<T extends { currency: string }>(rows: readonly T[]): string[] {
  return [...new Set(rows.map((row) => row.currency))];
}

export function agingItemsTable(
  items: readonly AgingItemRow[],
  params: { asOf?: string | undefined; bucket?: string | undefined },
  locale: Locale,
  query: Record<string, unknown>,
): ReportTable {
  const isZh = locale === 'zh-CN';
  const filters: ReportTable['filters'] = [];
  if (params.bucket !== undefined) {
    filters.push({ label: isZh ? '账龄段' : 'Bucket', value: agingColumnLabel(params.bucket, locale) });
  }
  return {
    report: 'aging_items',
    title: isZh ? '账龄明细' : 'Aging items',
    fileStem: isZh ? '账龄明细' : 'aging-items',
    // Without a date the drill-down is as of today, which the export fills in.
    ...(params.asOf === undefined ? {} : { asOf: params.asOf }),
    filters,
    columns: [
      { header: isZh ? '发票号' : 'Invoice', kind: 'text' },
      { header: isZh ? '客户编码' : 'Customer code', kind: 'text' },
      { header: isZh ? '开票日期' : 'Invoice date', kind: 'date' },
      { header: isZh ? '到期日' : 'Due date', kind: 'date' },
      { header: isZh ? '逾期天数' : 'Days past due', kind: 'number' },
      { header: WORDS.currency[locale], kind: 'text' },
      { header: isZh ? '发票金额' : 'Invoice total', kind: 'money' },
      { header: isZh ? '未收金额' : 'Open', kind: 'money' },
    ],
    rows: items.map((item) => [
      item.number,
      item.customerCode,
      item.invoiceDate,
      item.dueDate,
      item.daysPastDue,
      item.currency,
      item.total,
      item.open,
    ]),
    totals: currenciesOf(items).map((currency) => {
      const mine = items.filter((item) => item.currency === currency);
      return [
        WORDS.total[locale],
        '',
        '',
        '',
        null,
        currency,
        sumDecimals(mine.map((item) => item.total)),
        sumDecimals(mine.map((item) => item.open)),
      ];
    }),
    query,
  };
}

export function provisionTable(
  report: ProvisionReport,
  locale: Locale,
  query: Record<string, unknown>,
): ReportTable {
  const isZh = locale === 'zh-CN';
  const rows: ReportCell[][] = report.currencies.flatMap((section) =>
    section.customers.map((line) => [line.code, line.name, section.currency, line.open, line.provision]),
  );
  // Each class with its rate, then the grand total, per currency: the provision matrix as the totals block.
  const totals: ReportCell[][] = report.currencies.flatMap((section) => [
    ...section.classes.map((line) => [
      receivableClassLabel(line.class, locale),
      `${(line.rateBp / 100).toFixed(2)}%`,
      section.currency,
      line.open,
      line.provision,
    ]),
    [WORDS.total[locale], '', section.currency, section.total.open, section.total.provision],
  ]);
  return {
    report: 'provision',
    title: isZh ? '坏账准备计提表' : 'Bad-debt provision',
    fileStem: isZh ? '坏账准备' : 'provision',
    asOf: report.asOf,
    filters: [],
    columns: [
      { header: isZh ? '客户编码' : 'Customer code', kind: 'text' },
      { header: isZh ? '客户名称 / 计提比例' : 'Customer / rate', kind: 'text' },
      { header: WORDS.currency[locale], kind: 'text' },
      { header: isZh ? '未收金额' : 'Open', kind: 'money' },
      { header: isZh ? '坏账准备' : 'Provision', kind: 'money' },
    ],
    rows,
    totals,
    query,
  };
}

const KPI_GROUPING: Record<KpiReport['by'], Words> = {
  organization: w('全公司', 'Organization'),
  team: w('团队', 'Team'),
  salesperson: w('销售员', 'Salesperson'),
  customer: w('客户', 'Customer'),
};

function kpiColumns(locale: Locale): ReportTable['columns'] {
  const isZh = locale === 'zh-CN';
  return [
    { header: WORDS.currency[locale], kind: 'text' },
    { header: isZh ? '期初应收' : 'Opening AR', kind: 'money' },
    { header: isZh ? '本期开票' : 'Invoiced', kind: 'money' },
    { header: isZh ? '本期回款' : 'Collected', kind: 'money' },
    { header: isZh ? '期末应收' : 'Ending AR', kind: 'money' },
    { header: isZh ? '期末未到期' : 'Ending current AR', kind: 'money' },
    { header: isZh ? '回款率' : 'Collection rate', kind: 'ratio' },
    { header: 'CEI', kind: 'ratio' },
    { header: isZh ? 'DSO（简单）' : 'DSO (simple)', kind: 'days' },
    { header: isZh ? 'DSO（倒推）' : 'DSO (countback)', kind: 'days' },
    { header: isZh ? '最佳 DSO' : 'Best-possible DSO', kind: 'days' },
    { header: isZh ? '逾期率' : 'Overdue rate', kind: 'ratio' },
    { header: isZh ? '计划完成率' : 'Plan completion', kind: 'ratio' },
  ];
}

function kpiCells(row: KpiRow): ReportCell[] {
  return [
    row.currency,
    row.openingAR,
    row.invoiced,
    row.collected,
    row.endingAR,
    row.endingCurrentAR,
    row.collectionRate,
    row.cei,
    row.dsoSimple,
    row.dsoCountback,
    row.bestPossibleDso,
    row.overdueRate,
    row.planCompletion,
  ];
}

function kpiGroupName(row: KpiRow, locale: Locale): string {
  return row.name ?? row.key ?? WORDS.none[locale];
}

export function kpiTable(report: KpiReport, locale: Locale, query: Record<string, unknown>): ReportTable {
  const isZh = locale === 'zh-CN';
  return {
    report: 'kpis',
    title: isZh ? '回款指标' : 'Receivables KPIs',
    fileStem: isZh ? '回款指标' : 'kpis',
    period: { from: report.from, to: report.to },
    filters: [{ label: WORDS.groupBy[locale], value: KPI_GROUPING[report.by][locale] }],
    columns: [{ header: KPI_GROUPING[report.by][locale], kind: 'text' }, ...kpiColumns(locale)],
    rows: report.rows.map((row) => [kpiGroupName(row, locale), ...kpiCells(row)]),
    totals: [],
    query,
  };
}

export function kpiTrendTable(trend: KpiTrend, locale: Locale, query: Record<string, unknown>): ReportTable {
  const isZh = locale === 'zh-CN';
  const first = trend.months[0];
  return {
    report: 'kpi_trend',
    title: isZh ? '回款指标月度趋势' : 'KPI trend by month',
    fileStem: isZh ? '回款趋势' : 'kpi-trend',
    period: { from: first?.from ?? trend.to, to: trend.to },
    filters: [{ label: WORDS.groupBy[locale], value: KPI_GROUPING[trend.by][locale] }],
    columns: [
      { header: isZh ? '月份' : 'Month', kind: 'text' },
      { header: KPI_GROUPING[trend.by][locale], kind: 'text' },
      ...kpiColumns(locale),
    ],
    rows: trend.months.flatMap((month) =>
      month.rows.map((row) => [month.month, kpiGroupName(row, locale), ...kpiCells(row)]),
    ),
    totals: [],
    query,
  };
}

export function topOverdueTable(
  report: TopOverdueReport,
  locale: Locale,
  query: Record<string, unknown>,
): ReportTable {
  const isZh = locale === 'zh-CN';
  return {
    report: 'top_overdue',
    title: isZh ? '逾期客户排行' : 'Top overdue customers',
    fileStem: isZh ? '逾期客户排行' : 'top-overdue',
    asOf: report.asOf,
    filters: [],
    columns: [
      { header: isZh ? '排名' : 'Rank', kind: 'number' },
      { header: isZh ? '客户编码' : 'Customer code', kind: 'text' },
      { header: isZh ? '客户名称' : 'Customer', kind: 'text' },
      { header: WORDS.currency[locale], kind: 'text' },
      { header: isZh ? '逾期金额' : 'Overdue', kind: 'money' },
      { header: isZh ? '未收金额' : 'Open', kind: 'money' },
      { header: isZh ? '最长逾期天数' : 'Oldest days past due', kind: 'number' },
      { header: isZh ? '逾期发票数' : 'Overdue invoices', kind: 'number' },
    ],
    rows: report.currencies.flatMap((section) =>
      section.customers.map((customer, index) => [
        index + 1,
        customer.code,
        customer.name,
        section.currency,
        customer.overdue,
        customer.open,
        customer.oldestDaysPastDue,
        customer.overdueInvoices,
      ]),
    ),
    totals: report.currencies.map((section) => [
      null,
      WORDS.total[locale],
      '',
      section.currency,
      sumDecimals(section.customers.map((customer) => customer.overdue)),
      sumDecimals(section.customers.map((customer) => customer.open)),
      null,
      section.customers.reduce((sum, customer) => sum + customer.overdueInvoices, 0),
    ]),
    query,
  };
}

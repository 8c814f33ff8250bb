/**
 * Letters and statements (催款函, 律师函, 对账单, 对账函): a template of structured blocks whose text may name
 * placeholders, filled from the ledger's figures into one document model. HTML, plain text and (on the server) PDF
 * are all drawn from that model, so what the preview shows is what the PDF says.
 *
 * Organizations edit the words (title, salutation, paragraphs, closing, signature); the parts that carry numbers
 * or legal form — the invoice table, the amount in figures and in 大写, the payment account, the reply slip and the
 * seal — are laid out by code, so an edit can never drop a digit or misplace the seal.
 */
import { addDays, type CalendarDate } from './calendar-date';
import type { Locale } from './errors';
import {
  currencyExponent,
  minorToDecimalString,
  toChineseCapitalAmount,
  toEnglishAmountWords,
  type Money,
} from './money';

export const LETTER_KINDS = [
  'payment_reminder', // 付款提醒
  'dunning_letter', // 财务催款函
  'lawyer_letter', // 律师函
  'statement', // 对账单
  'balance_confirmation', // 欠款征询函 / 对账函, with a reply slip
] as const;
export type LetterKind = (typeof LETTER_KINDS)[number];

export type LetterLocale = Locale;

/** Every name a template may use as {{name}}; anything else is refused when the template is saved. */
export const LETTER_PLACEHOLDERS = [
  'customer.name',
  'customer.code',
  'customer.address',
  'company.name',
  'company.address',
  'company.phone',
  'company.email',
  'company.taxId',
  'company.bankName',
  'company.bankAccount',
  'company.signatory',
  'asOf',
  'deadline',
  'period.from',
  'period.to',
  'total.figures',
  'total.capital',
  'total.words',
  'opening.figures',
  'closing.figures',
  'invoice.count',
  'overdue.maxDays',
] as const;
export type LetterPlaceholder = (typeof LETTER_PLACEHOLDERS)[number];

/** What an organization may edit. Line breaks inside a block are kept. */
export type LetterTemplate = {
  title: string;
  salutation: string;
  paragraphs: string[];
  closing: string;
  signature: string;
  /** {{deadline}} is the letter's date plus this many days. */
  deadlineDays: number;
};

const PLACEHOLDER_PATTERN = /\{\{\s*([^{}]*?)\s*\}\}/g;

/** The names a text uses, in order, as written (trimmed). */
export function placeholdersIn(text: string): string[] {
  return [...text.matchAll(PLACEHOLDER_PATTERN)].map((match) => match[1] ?? '');
}

export function isLetterPlaceholder(name: string): name is LetterPlaceholder {
  return (LETTER_PLACEHOLDERS as readonly string[]).includes(name);
}

/** Each unknown placeholder with the block it sits in, e.g. { path: ['paragraphs', 1], name: 'customer.nam' }. */
export function unknownPlaceholders(
  template: Pick<LetterTemplate, 'title' | 'salutation' | 'paragraphs' | 'closing' | 'signature'>,
): { path: (string | number)[]; name: string }[] {
  const blocks: [(string | number)[], string][] = [
    [['title'], template.title],
    [['salutation'], template.salutation],
    ...template.paragraphs.map((text, index): [(string | number)[], string] => [['paragraphs', index], text]),
    [['closing'], template.closing],
    [['signature'], template.signature],
  ];
  return blocks.flatMap(([path, text]) =>
    placeholdersIn(text)
      .filter((name) => !isLetterPlaceholder(name))
      .map((name) => ({ path, name })),
  );
}

/** A bracketed aside around one placeholder, e.g. （电话：{{company.phone}}） or (telephone {{company.phone}}). */
const ASIDE_PATTERN = /\s?[（(][^（）()]*?\{\{\s*([^{}]*?)\s*\}\}[^（）()]*?[）)]/g;

/**
 * Replaces each {{name}} by its value; an empty value leaves nothing behind, never the braces. An aside in brackets
 * whose only placeholder is empty goes too, so a letterhead without a telephone does not print 「（电话：）」.
 */
export function fillPlaceholders(text: string, values: Readonly<Record<LetterPlaceholder, string>>): string {
  const valueOf = (name: string) => (isLetterPlaceholder(name) ? values[name] : '');
  return text
    .replace(ASIDE_PATTERN, (aside, name: string) => (valueOf(name) === '' ? '' : aside))
    .replace(PLACEHOLDER_PATTERN, (_whole, name: string) => valueOf(name));
}

// ---------------------------------------------------------------------------------------------------------------
// Default templates
// ---------------------------------------------------------------------------------------------------------------

const ZH_CLOSING = '此致\n敬礼！';
const EN_CLOSING = 'Yours faithfully,';

export const DEFAULT_LETTER_TEMPLATES: Readonly<
  Record<LetterKind, Readonly<Record<LetterLocale, LetterTemplate>>>
> = {
  payment_reminder: {
    'zh-CN': {
      title: '付款提醒',
      salutation: '{{customer.name}}：',
      paragraphs: [
        '感谢贵公司一直以来对我公司的支持与信任。根据我公司账务记录，截至 {{asOf}}，贵公司下列款项已到期或即将到期，合计 {{total.figures}}（大写：{{total.capital}}）。',
        '烦请贵公司于 {{deadline}} 前安排付款。如已付款，请忽略本提醒，并将付款凭证发送给我们以便核对。',
      ],
      closing: ZH_CLOSING,
      signature: '{{company.name}}',
      deadlineDays: 7,
    },
    en: {
      title: 'Payment reminder',
      salutation: 'Dear {{customer.name}},',
      paragraphs: [
        'Thank you for your continued business. According to our records, as of {{asOf}} the invoices below are due or about to fall due, in total {{total.figures}} ({{total.words}}).',
        'Please arrange payment by {{deadline}}. If you have already paid, please disregard this reminder and send us the remittance advice so that we can match it.',
      ],
      closing: EN_CLOSING,
      signature: '{{company.name}}',
      deadlineDays: 7,
    },
  },
  dunning_letter: {
    'zh-CN': {
      title: '催款函',
      salutation: '{{customer.name}}：',
      paragraphs: [
        '根据双方的业务往来及我公司账务记录，截至 {{asOf}}，贵公司下列款项已逾期未付，合计 {{total.figures}}（大写：{{total.capital}}），最长已逾期 {{overdue.maxDays}} 天。',
        '我公司此前已多次提醒。请贵公司务必于 {{deadline}} 前将上述欠款付至我公司账户。逾期仍未付款的，我公司将按合同约定追究违约责任，并保留通过法律途径解决的权利。',
        '如对上述款项有异议，请于收到本函后三日内与我公司财务部联系（电话：{{company.phone}}）。',
      ],
      closing: ZH_CLOSING,
      signature: '{{company.name}}\n财务部',
      deadlineDays: 10,
    },
    en: {
      title: 'Demand for payment',
      salutation: 'Dear {{customer.name}},',
      paragraphs: [
        'According to our records, as of {{asOf}} the invoices below are overdue and unpaid, in total {{total.figures}} ({{total.words}}); the oldest is {{overdue.maxDays}} days overdue.',
        'Despite our earlier reminders this amount remains outstanding. Please pay it in full to our account by {{deadline}}. Otherwise we will enforce our rights under the contract and reserve the right to take legal action.',
        'If you dispute any of these amounts, please contact our finance department within three days of receiving this letter (telephone {{company.phone}}).',
      ],
      closing: EN_CLOSING,
      signature: '{{company.name}}\nFinance Department',
      deadlineDays: 10,
    },
  },
  lawyer_letter: {
    'zh-CN': {
      title: '律师函',
      salutation: '{{customer.name}}：',
      paragraphs: [
        '受 {{company.name}}（以下简称“委托人”）委托，现就贵公司拖欠委托人货款一事致函贵公司。',
        '经核实，截至 {{asOf}}，贵公司尚欠委托人货款合计 {{total.figures}}（大写：{{total.capital}}），明细见下表，最长已逾期 {{overdue.maxDays}} 天。委托人虽经多次催告，贵公司至今仍未履行付款义务，已构成违约。',
        '特此函告：请贵公司于 {{deadline}} 前向委托人付清全部欠款。逾期仍未付清的，委托人将依法提起诉讼，要求贵公司支付欠款及逾期付款利息，并承担诉讼费、律师费等全部费用。',
      ],
      closing: '特此函告。',
      signature: '{{company.signatory}}\n受 {{company.name}} 委托',
      deadlineDays: 7,
    },
    en: {
      title: "Lawyer's letter",
      salutation: 'To {{customer.name}},',
      paragraphs: [
        'We act for {{company.name}} (our client) in the matter of the amounts you owe it.',
        'As of {{asOf}} you owe our client {{total.figures}} ({{total.words}}) as itemised below; the oldest invoice is {{overdue.maxDays}} days overdue. Despite repeated requests you have not paid, which is a breach of contract.',
        'We hereby demand that you pay the full amount by {{deadline}}. If you do not, our client will sue for the debt, interest on late payment and all costs, including legal fees, without further notice.',
      ],
      closing: EN_CLOSING,
      signature: '{{company.signatory}}\nfor and on behalf of {{company.name}}',
      deadlineDays: 7,
    },
  },
  statement: {
    'zh-CN': {
      title: '对账单',
      salutation: '{{customer.name}}：',
      paragraphs: [
        '现将 {{period.from}} 至 {{period.to}} 期间贵我双方的往来明细列示如下：期初余额 {{opening.figures}}，期末余额 {{closing.figures}}（大写：{{total.capital}}）。',
        '请核对。如有不符，请于收到本对账单后十日内与我公司联系；逾期未提出异议的，视为确认。',
      ],
      closing: '',
      signature: '{{company.name}}',
      deadlineDays: 10,
    },
    en: {
      title: 'Statement of account',
      salutation: 'Dear {{customer.name}},',
      paragraphs: [
        'Below is your account with us from {{period.from}} to {{period.to}}: opening balance {{opening.figures}}, closing balance {{closing.figures}} ({{total.words}}).',
        'Please check it. If anything differs from your records, let us know within ten days; otherwise we will take the statement as agreed.',
      ],
      closing: '',
      signature: '{{company.name}}',
      deadlineDays: 10,
    },
  },
  balance_confirmation: {
    'zh-CN': {
      title: '对账函（欠款征询函）',
      salutation: '{{customer.name}}：',
      paragraphs: [
        '本公司与贵公司的往来账项列示如下。截至 {{asOf}}，贵公司尚欠本公司 {{total.figures}}（大写：{{total.capital}}）。',
        '本函仅为核对账目之用，并非催款结算。若款项在上述日期之后已经付清，仍请及时函复为盼。',
        '下列数据出自本公司账簿记录，如与贵公司记录相符，请在本函下端“信息证明无误”处签章证明；如有不符，请在“信息不符”处列明不符项目及具体内容。请于 {{deadline}} 前寄回本公司（地址：{{company.address}}）。',
      ],
      closing: '',
      signature: '{{company.name}}',
      deadlineDays: 10,
    },
    en: {
      title: 'Balance confirmation',
      salutation: 'Dear {{customer.name}},',
      paragraphs: [
        'Our records show the items below; as of {{asOf}} you owe us {{total.figures}} ({{total.words}}).',
        'This letter is for confirming balances only and is not a request for payment. If the amount has been paid since that date, please still reply.',
        'If the figures agree with your records, please sign and stamp the reply slip under "The information is correct"; if not, list the differences under "The information differs". Please return it by {{deadline}} to {{company.address}}.',
      ],
      closing: '',
      signature: '{{company.name}}',
      deadlineDays: 10,
    },
  },
};

// ---------------------------------------------------------------------------------------------------------------
// The data a letter is filled from (the server reads it from the ledger in one transaction)
// ---------------------------------------------------------------------------------------------------------------

export type LetterCompany = {
  name: string;
  address: string | null;
  phone: string | null;
  email: string | null;
  taxId: string | null;
  bankName: string | null;
  bankAccount: string | null;
  signatory: string | null;
};

export type LetterCustomer = { name: string; code: string; address: string | null };

/** An open invoice as of the letter's date. */
export type LetterItem = {
  number: string;
  invoiceDate: CalendarDate;
  dueDate: CalendarDate;
  /** Negative before the due date. */
  daysOverdue: number;
  totalMinor: bigint;
  openMinor: bigint;
  currency: string;
};

export type StatementEntryKind =
  | 'invoice'
  | 'credit_note'
  | 'write_off'
  | 'receipt'
  | 'receipt_reversal'
  | 'invoice_void'
  | 'write_off_recovery'
  | 'write_off_recovery_reversal';

/** One line of 对账单: what raised (positive effect) or lowered the balance, with the balance after it. */
export type StatementEntry = {
  date: CalendarDate;
  kind: StatementEntryKind;
  reference: string | null;
  effectMinor: bigint;
  balanceMinor: bigint;
};

export type StatementSection = {
  currency: string;
  openingMinor: bigint;
  entries: StatementEntry[];
  closingMinor: bigint;
};

/** 对账函: per currency, open invoices, money received but not yet applied, and what is owed net. */
export type ConfirmationBalance = {
  currency: string;
  openInvoicesMinor: bigint;
  unappliedCreditMinor: bigint;
  balanceMinor: bigint;
};

export type LetterData = {
  kind: LetterKind;
  locale: LetterLocale;
  company: LetterCompany;
  customer: LetterCustomer;
  asOf: CalendarDate;
  /** Statements cover a period; other letters show a date. */
  period: { from: CalendarDate; to: CalendarDate } | null;
  items: LetterItem[];
  statement: StatementSection[];
  balances: ConfirmationBalance[];
  hasSeal: boolean;
};

// ---------------------------------------------------------------------------------------------------------------
// The document model
// ---------------------------------------------------------------------------------------------------------------

export type LetterAlign = 'left' | 'right' | 'center';

export type LetterTable = {
  caption: string | null;
  columns: { header: string; align: LetterAlign }[];
  rows: string[][];
  /** Bold rows at the end: totals, opening and closing balances. */
  totals: string[][];
};

export type ReplySlip = {
  title: string;
  addressee: string;
  intro: string;
  agree: { label: string; lines: string[] };
  disagree: { label: string; lines: string[] };
};

export type LetterDocument = {
  kind: LetterKind;
  locale: LetterLocale;
  letterhead: { name: string; lines: string[] };
  title: string;
  dateLine: string;
  salutation: string;
  paragraphs: string[];
  tables: LetterTable[];
  /** The amount lines under the tables: figures and 大写 (or words). */
  summary: string[];
  /** Where to pay, when the letterhead names an account. */
  payment: string[];
  closing: string[];
  signature: { lines: string[]; date: string; hasSeal: boolean };
  replySlip: ReplySlip | null;
};

const CURRENCY_NAMES_ZH: Readonly<Record<string, string>> = {
  CNY: '人民币',
  USD: '美元',
  HKD: '港币',
  EUR: '欧元',
  GBP: '英镑',
  JPY: '日元',
};

/** An exact decimal string with thousands separators ("1234567.50" → "1,234,567.50"); never through a float. */
export function groupedDecimal(decimal: string): string {
  const match = /^(-)?(\d+)(\.\d+)?$/.exec(decimal);
  if (!match) return decimal;
  const [, minus = '', whole = '0', fraction = ''] = match;
  return `${minus}${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}${fraction}`;
}

export function formatLetterAmount(value: Money): string {
  return groupedDecimal(minorToDecimalString(value.amountMinor, value.currency));
}

/** "人民币 12,345.67 元", "美元 1.50" / "CNY 12,345.67". */
export function amountInFigures(value: Money, locale: LetterLocale): string {
  const figures = formatLetterAmount(value);
  if (locale === 'en') return `${value.currency} ${figures}`;
  if (value.currency === 'CNY') return `人民币 ${figures} 元`;
  const name = CURRENCY_NAMES_ZH[value.currency];
  return `${name ?? value.currency} ${figures}`;
}

/** 大写金额, prefixed by the currency's name: 人民币壹万贰仟叁佰肆拾伍元陆角柒分. Currencies without 角/分 get figures. */
export function amountInCapitals(value: Money): string {
  if (currencyExponent(value.currency) !== 2) return amountInFigures(value, 'zh-CN');
  const name = CURRENCY_NAMES_ZH[value.currency] ?? value.currency;
  return `${name}${toChineseCapitalAmount(value)}`;
}

function joinAmounts(values: readonly string[], locale: LetterLocale): string {
  return values.join(locale === 'zh-CN' ? '；' : '; ');
}

/** The amount a letter is about, per currency: what is owed on the listed items, the statement's closing, or the net balance. */
export function letterTotals(data: LetterData): Money[] {
  if (data.kind === 'statement') {
    return data.statement.map((section) => ({
      amountMinor: section.closingMinor,
      currency: section.currency,
    }));
  }
  if (data.kind === 'balance_confirmation') {
    return data.balances.map((row) => ({ amountMinor: row.balanceMinor, currency: row.currency }));
  }
  const totals = new Map<string, bigint>();
  for (const item of data.items)
    totals.set(item.currency, (totals.get(item.currency) ?? 0n) + item.openMinor);
  return [...totals].map(([currency, amountMinor]) => ({ amountMinor, currency }));
}

function orEmpty(text: string | null): string {
  return text ?? '';
}

export function placeholderValues(
  data: LetterData,
  template: Pick<LetterTemplate, 'deadlineDays'>,
): Record<LetterPlaceholder, string> {
  const { locale } = data;
  const totals = letterTotals(data);
  const zero = (currency: string): Money => ({ amountMinor: 0n, currency });
  const figures = (values: Money[]) =>
    joinAmounts(
      values.map((v) => amountInFigures(v, locale)),
      locale,
    );
  const fallbackCurrency = data.items[0]?.currency ?? 'CNY';
  const shown = totals.length > 0 ? totals : [zero(fallbackCurrency)];
  const overdueDays = data.items.map((item) => item.daysOverdue);
  return {
    'customer.name': data.customer.name,
    'customer.code': data.customer.code,
    'customer.address': orEmpty(data.customer.address),
    'company.name': data.company.name,
    'company.address': orEmpty(data.company.address),
    'company.phone': orEmpty(data.company.phone),
    'company.email': orEmpty(data.company.email),
    'company.taxId': orEmpty(data.company.taxId),
    'company.bankName': orEmpty(data.company.bankName),
    'company.bankAccount': orEmpty(data.company.bankAccount),
    'company.signatory': orEmpty(data.company.signatory),
    asOf: data.asOf,
    deadline: addDays(data.asOf, template.deadlineDays),
    'period.from': data.period?.from ?? data.asOf,
    'period.to': data.period?.to ?? data.asOf,
    'total.figures': figures(shown),
    'total.capital': joinAmounts(shown.map(amountInCapitals), 'zh-CN'),
    'total.words': joinAmounts(
      shown.map((v) => toEnglishAmountWords(v)),
      'en',
    ),
    'opening.figures': figures(
      data.statement.length > 0
        ? data.statement.map((s) => ({ amountMinor: s.openingMinor, currency: s.currency }))
        : [zero(fallbackCurrency)],
    ),
    'closing.figures': figures(shown),
    'invoice.count': String(data.items.length),
    'overdue.maxDays': String(Math.max(0, ...overdueDays)),
  };
}

type Words = {
  date: string;
  itemColumns: string[];
  total: string;
  statementColumns: string[];
  opening: string;
  closing: string;
  currency: string;
  entryKinds: Record<StatementEntryKind, string>;
  balanceColumns: string[];
  totalOwed: string;
  capitals: string;
  words: string;
  payTo: string;
  bank: string;
  account: string;
  phone: string;
  email: string;
  taxId: string;
  reply: Omit<ReplySlip, 'addressee'> & { addressee: string };
};

const WORDS: Record<LetterLocale, Words> = {
  'zh-CN': {
    date: '日期',
    itemColumns: ['发票号', '开票日期', '到期日', '逾期天数', '发票金额', '未付金额'],
    total: '合计',
    statementColumns: ['日期', '摘要', '单号', '增加（借方）', '减少（贷方）', '余额'],
    opening: '期初余额',
    closing: '期末余额',
    currency: '币种',
    entryKinds: {
      invoice: '开票',
      credit_note: '红字冲销',
      write_off: '坏账核销',
      receipt: '收款',
      receipt_reversal: '收款冲回',
      invoice_void: '发票作废',
      write_off_recovery: '核销后收回',
      write_off_recovery_reversal: '核销收回冲回',
    },
    balanceColumns: ['币种', '未付发票', '已收未核销款', '欠款余额'],
    totalOwed: '合计欠款',
    capitals: '大写',
    words: '',
    payTo: '收款账户',
    bank: '开户行',
    account: '账号',
    phone: '电话',
    email: '邮箱',
    taxId: '纳税人识别号',
    reply: {
      title: '回  执',
      addressee: '致',
      intro: '以上信息经本公司核对：',
      agree: {
        label: '1. 信息证明无误。',
        lines: ['（公司盖章）', '经办人：', '日期：      年    月    日'],
      },
      disagree: {
        label: '2. 信息不符，请列明不符项目及具体内容（及需加说明事项）：',
        lines: ['', '', '（公司盖章）', '经办人：', '日期：      年    月    日'],
      },
    },
  },
  en: {
    date: 'Date',
    itemColumns: ['Invoice', 'Invoice date', 'Due date', 'Days overdue', 'Amount', 'Outstanding'],
    total: 'Total',
    statementColumns: ['Date', 'Description', 'Reference', 'Debit', 'Credit', 'Balance'],
    opening: 'Opening balance',
    closing: 'Closing balance',
    currency: 'Currency',
    entryKinds: {
      invoice: 'Invoice',
      credit_note: 'Credit note',
      write_off: 'Write-off',
      receipt: 'Payment received',
      receipt_reversal: 'Payment reversed',
      invoice_void: 'Invoice voided',
      write_off_recovery: 'Recovery of written-off amount',
      write_off_recovery_reversal: 'Recovery reversed',
    },
    balanceColumns: ['Currency', 'Open invoices', 'Unapplied payments', 'Balance owed'],
    totalOwed: 'Total outstanding',
    capitals: 'In Chinese capitals',
    words: 'In words',
    payTo: 'Please pay to',
    bank: 'Bank',
    account: 'Account',
    phone: 'Tel',
    email: 'Email',
    taxId: 'Tax ID',
    reply: {
      title: 'REPLY SLIP',
      addressee: 'To',
      intro: 'We have checked the information above:',
      agree: { label: '1. The information is correct.', lines: ['(Company stamp)', 'Signed by:', 'Date:'] },
      disagree: {
        label: '2. The information differs; the differences (and any explanations) are:',
        lines: ['', '', '(Company stamp)', 'Signed by:', 'Date:'],
      },
    },
  },
};

function splitLines(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.trimEnd())
    .filter((line, index, lines) => line !== '' || (index > 0 && index < lines.length - 1));
}

function letterheadLines(company: LetterCompany, words: Words, locale: LetterLocale): string[] {
  const colon = locale === 'zh-CN' ? '：' : ': ';
  const contact = [
    company.phone ? `${words.phone}${colon}${company.phone}` : null,
    company.email ? `${words.email}${colon}${company.email}` : null,
  ].filter((part): part is string => part !== null);
  return [
    company.address,
    contact.length > 0 ? contact.join('    ') : null,
    company.taxId ? `${words.taxId}${colon}${company.taxId}` : null,
  ].filter((line): line is string => line !== null && line !== '');
}

function itemTables(data: LetterData, words: Words): LetterTable[] {
  const currencies = [...new Set(data.items.map((item) => item.currency))];
  if (currencies.length === 0) return [];
  return currencies.map((currency) => {
    const items = data.items.filter((item) => item.currency === currency);
    const total = items.reduce((sum, item) => sum + item.openMinor, 0n);
    const amount = (amountMinor: bigint) => formatLetterAmount({ amountMinor, currency });
    return {
      caption: currencies.length > 1 || currency !== 'CNY' ? `${words.currency}: ${currency}` : null,
      columns: words.itemColumns.map((header, index) => ({ header, align: index >= 3 ? 'right' : 'left' })),
      rows: items.map((item) => [
        item.number,
        item.invoiceDate,
        item.dueDate,
        item.daysOverdue > 0 ? String(item.daysOverdue) : '—',
        amount(item.totalMinor),
        amount(item.openMinor),
      ]),
      totals: [[words.total, '', '', '', '', amount(total)]],
    };
  });
}

function statementTables(data: LetterData, words: Words): LetterTable[] {
  return data.statement.map((section) => {
    const amount = (amountMinor: bigint) => formatLetterAmount({ amountMinor, currency: section.currency });
    const periodFrom = data.period?.from ?? data.asOf;
    const periodTo = data.period?.to ?? data.asOf;
    return {
      caption: `${words.currency}: ${section.currency}`,
      columns: words.statementColumns.map((header, index) => ({
        header,
        align: index >= 3 ? 'right' : 'left',
      })),
      rows: [
        [periodFrom, words.opening, '', '', '', amount(section.openingMinor)],
        ...section.entries.map((entry) => [
          entry.date,
          words.entryKinds[entry.kind],
          entry.reference ?? '',
          entry.effectMinor > 0n ? amount(entry.effectMinor) : '',
          entry.effectMinor < 0n ? amount(-entry.effectMinor) : '',
          amount(entry.balanceMinor),
        ]),
      ],
      totals: [[periodTo, words.closing, '', '', '', amount(section.closingMinor)]],
    };
  });
}

function balanceTable(data: LetterData, words: Words): LetterTable[] {
  if (data.balances.length === 0) return [];
  return [
    {
      caption: null,
      columns: words.balanceColumns.map((header, index) => ({
        header,
        align: index >= 1 ? 'right' : 'left',
      })),
      rows: data.balances.map((row) => {
        const amount = (amountMinor: bigint) => formatLetterAmount({ amountMinor, currency: row.currency });
        return [
          row.currency,
          amount(row.openInvoicesMinor),
          amount(row.unappliedCreditMinor),
          amount(row.balanceMinor),
        ];
      }),
      totals: [],
    },
  ];
}

function tablesOf(data: LetterData, words: Words): LetterTable[] {
  switch (data.kind) {
    case 'statement':
      return statementTables(data, words);
    case 'balance_confirmation':
      return [...balanceTable(data, words), ...itemTables(data, words)];
    case 'payment_reminder':
    case 'dunning_letter':
    case 'lawyer_letter':
      return itemTables(data, words);
  }
}

/** "合计欠款：人民币 12,345.67 元（大写：人民币壹万贰仟叁佰肆拾伍元陆角柒分）", one line per currency. */
function summaryLines(data: LetterData, words: Words): string[] {
  const label = data.kind === 'statement' ? words.closing : words.totalOwed;
  return letterTotals(data).map((total) => {
    const figures = amountInFigures(total, data.locale);
    if (data.locale === 'zh-CN')
      return `${label}：${figures}（${words.capitals}：${amountInCapitals(total)}）`;
    return `${label}: ${figures} (${words.words}: ${toEnglishAmountWords(total)})`;
  });
}

function paymentLines(data: LetterData, words: Words): string[] {
  const { company, locale } = data;
  if (!company.bankAccount || data.kind === 'balance_confirmation') return [];
  const colon = locale === 'zh-CN' ? '：' : ': ';
  const separator = locale === 'zh-CN' ? '；' : '; ';
  const parts = [
    `${words.payTo}${colon}${company.name}`,
    company.bankName ? `${words.bank}${colon}${company.bankName}` : null,
    `${words.account}${colon}${company.bankAccount}`,
  ].filter((part): part is string => part !== null);
  return [parts.join(separator)];
}

function replySlipOf(data: LetterData, words: Words): ReplySlip | null {
  if (data.kind !== 'balance_confirmation') return null;
  const colon = data.locale === 'zh-CN' ? '：' : ': ';
  return { ...words.reply, addressee: `${words.reply.addressee}${colon}${data.company.name}` };
}

/** Template + data → the document every output is drawn from. */
export function buildLetterDocument(template: LetterTemplate, data: LetterData): LetterDocument {
  const words = WORDS[data.locale];
  const values = placeholderValues(data, template);
  const fill = (text: string) => fillPlaceholders(text, values);
  const colon = data.locale === 'zh-CN' ? '：' : ': ';
  return {
    kind: data.kind,
    locale: data.locale,
    letterhead: { name: data.company.name, lines: letterheadLines(data.company, words, data.locale) },
    title: fill(template.title).trim(),
    dateLine: `${words.date}${colon}${data.asOf}`,
    salutation: fill(template.salutation),
    paragraphs: template.paragraphs.map(fill).filter((text) => text.trim() !== ''),
    tables: tablesOf(data, words),
    summary: summaryLines(data, words),
    payment: paymentLines(data, words),
    closing: splitLines(fill(template.closing)),
    signature: { lines: splitLines(fill(template.signature)), date: data.asOf, hasSeal: data.hasSeal },
    replySlip: replySlipOf(data, words),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Plain text and HTML
// ---------------------------------------------------------------------------------------------------------------

function tableToText(table: LetterTable): string[] {
  const all = [table.columns.map((c) => c.header), ...table.rows, ...table.totals];
  return [
    ...(table.caption ? [table.caption] : []),
    ...all.map((row) => row.filter((cell) => cell !== '').join(' | ')),
  ];
}

/** The letter as plain text: the e-mail body's text part and the archive's searchable copy. */
export function letterDocumentToText(doc: LetterDocument): string {
  const blocks: string[][] = [
    [doc.letterhead.name, ...doc.letterhead.lines],
    [doc.title, doc.dateLine],
    [doc.salutation],
    ...doc.paragraphs.map((paragraph) => [paragraph]),
    ...doc.tables.map(tableToText),
    doc.summary,
    doc.payment,
    doc.closing,
    [...doc.signature.lines, doc.signature.date],
  ];
  if (doc.replySlip) {
    const slip = doc.replySlip;
    blocks.push([
      `—— ${slip.title} ——`,
      slip.addressee,
      slip.intro,
      slip.agree.label,
      ...slip.agree.lines.filter((line) => line !== ''),
      slip.disagree.label,
      ...slip.disagree.lines.filter((line) => line !== ''),
    ]);
  }
  return blocks
    .filter((block) => block.length > 0)
    .map((block) => block.join('\n'))
    .join('\n\n');
}

const HTML_ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => HTML_ESCAPES[ch] ?? ch);
}

/** Escaped text with its line breaks kept. */
function htmlLines(text: string): string {
  return text.split('\n').map(escapeHtml).join('<br>');
}

function tableToHtml(table: LetterTable): string {
  const cell = (tag: 'th' | 'td', text: string, align: LetterAlign) =>
    `<${tag} class="${align}">${escapeHtml(text)}</${tag}>`;
  const alignOf = (index: number) => table.columns[index]?.align ?? 'left';
  const head = table.columns.map((column) => cell('th', column.header, column.align)).join('');
  const body = table.rows
    .map((row) => `<tr>${row.map((text, index) => cell('td', text, alignOf(index))).join('')}</tr>`)
    .join('');
  const totals = table.totals
    .map(
      (row) =>
        `<tr class="total">${row.map((text, index) => cell('td', text, alignOf(index))).join('')}</tr>`,
    )
    .join('');
  const caption = table.caption ? `<caption>${escapeHtml(table.caption)}</caption>` : '';
  return `<table>${caption}<thead><tr>${head}</tr></thead><tbody>${body}${totals}</tbody></table>`;
}

function replySlipToHtml(slip: ReplySlip): string {
  const box = (part: ReplySlip['agree']) =>
    `<div class="reply-box"><p>${escapeHtml(part.label)}</p>${part.lines
      .map((line) => `<p class="reply-line">${line === '' ? '&nbsp;' : escapeHtml(line)}</p>`)
      .join('')}</div>`;
  return [
    '<section class="reply-slip">',
    `<h2>${escapeHtml(slip.title)}</h2>`,
    `<p>${escapeHtml(slip.addressee)}</p>`,
    `<p>${escapeHtml(slip.intro)}</p>`,
    `<div class="reply-boxes">${box(slip.agree)}${box(slip.disagree)}</div>`,
    '</section>',
  ].join('');
}

const LETTER_CSS = [
  'body{margin:0;background:#f4f4f4;font-family:"Noto Sans SC","PingFang SC","Microsoft YaHei",sans-serif;color:#222}',
  '.letter{max-width:720px;margin:16px auto;background:#fff;padding:40px 48px;box-shadow:0 1px 4px rgba(0,0,0,.1)}',
  '.letterhead{text-align:center;border-bottom:2px solid #333;padding-bottom:8px;margin-bottom:16px}',
  '.letterhead .name{font-size:20px;font-weight:bold}.letterhead .line{font-size:12px;color:#555}',
  'h1{text-align:center;font-size:22px;letter-spacing:4px;margin:16px 0 4px}.date{text-align:right;font-size:13px}',
  'p{line-height:1.8;font-size:14px}.paragraph{text-indent:2em}',
  'table{border-collapse:collapse;width:100%;margin:12px 0;font-size:12px}caption{text-align:left;font-weight:bold}',
  'th,td{border:1px solid #999;padding:4px 6px}th{background:#eee}.right{text-align:right}.center{text-align:center}',
  'tr.total td{font-weight:bold;background:#f6f6f6}.summary{font-weight:bold}',
  '.signature{position:relative;margin:32px 0 0 auto;width:280px;text-align:center;min-height:120px}',
  '.signature .seal{position:absolute;left:70px;top:-20px;width:140px;height:140px;object-fit:contain;opacity:.85}',
  '.reply-slip{border-top:1px dashed #666;margin-top:32px;padding-top:8px}.reply-slip h2{text-align:center;font-size:16px}',
  '.reply-boxes{display:flex;gap:12px}.reply-box{flex:1;border:1px solid #999;padding:8px}.reply-line{margin:4px 0}',
].join('\n');

/**
 * The letter as one self-contained HTML page (no script, no external resource): every text escaped; the seal, if
 * any, comes in as a data URI the server built from validated PNG/JPEG bytes.
 */
export function letterDocumentToHtml(
  doc: LetterDocument,
  options: { sealDataUri?: string | null } = {},
): string {
  const seal =
    doc.signature.hasSeal &&
    options.sealDataUri &&
    /^data:image\/(png|jpeg);base64,[A-Za-z0-9+/=]+$/.test(options.sealDataUri)
      ? `<img class="seal" alt="" src="${options.sealDataUri}">`
      : '';
  const paragraphs = (lines: string[], className: string) =>
    lines.map((line) => `<p class="${className}">${htmlLines(line)}</p>`).join('');
  const body = [
    '<header class="letterhead">',
    `<div class="name">${escapeHtml(doc.letterhead.name)}</div>`,
    ...doc.letterhead.lines.map((line) => `<div class="line">${escapeHtml(line)}</div>`),
    '</header>',
    `<h1>${escapeHtml(doc.title)}</h1>`,
    `<div class="date">${escapeHtml(doc.dateLine)}</div>`,
    `<p>${htmlLines(doc.salutation)}</p>`,
    paragraphs(doc.paragraphs, 'paragraph'),
    ...doc.tables.map(tableToHtml),
    paragraphs(doc.summary, 'summary'),
    paragraphs(doc.payment, 'payment'),
    paragraphs(doc.closing, 'closing'),
    `<div class="signature">${seal}${doc.signature.lines
      .map((line) => `<p>${escapeHtml(line)}</p>`)
      .join('')}<p>${escapeHtml(doc.signature.date)}</p></div>`,
    doc.replySlip ? replySlipToHtml(doc.replySlip) : '',
  ].join('\n');
  return [
    '<!doctype html>',
    `<html lang="${doc.locale}"><head><meta charset="utf-8">`,
    `<title>${escapeHtml(doc.title)}</title>`,
    `<style>${LETTER_CSS}</style></head>`,
    `<body><article class="letter">${body}</article></body></html>`,
  ].join('\n');
}

// ---------------------------------------------------------------------------------------------------------------
// Sample data, for the template editor's preview before any customer is chosen
// ---------------------------------------------------------------------------------------------------------------

export function sampleLetterData(
  kind: LetterKind,
  locale: LetterLocale,
  company: LetterCompany,
  asOf: CalendarDate,
  hasSeal: boolean,
): LetterData {
  const isZh = locale === 'zh-CN';
  const day = (offset: number) => addDays(asOf, offset);
  const items: LetterItem[] = [
    {
      number: 'INV-0001',
      invoiceDate: day(-75),
      dueDate: day(-45),
      daysOverdue: 45,
      totalMinor: 1_000_000n,
      openMinor: 1_000_000n,
      currency: 'CNY',
    },
    {
      number: 'INV-0002',
      invoiceDate: day(-40),
      dueDate: day(-10),
      daysOverdue: 10,
      totalMinor: 345_067n,
      openMinor: 234_567n,
      currency: 'CNY',
    },
  ];
  const from = day(-29);
  return {
    kind,
    locale,
    company,
    customer: { name: isZh ? '示例客户有限公司' : 'Sample Customer Ltd.', code: 'C-0001', address: null },
    asOf,
    period: kind === 'statement' ? { from, to: asOf } : null,
    items: kind === 'statement' ? [] : items,
    statement:
      kind === 'statement'
        ? [
            {
              currency: 'CNY',
              openingMinor: 1_000_000n,
              entries: [
                {
                  date: day(-20),
                  kind: 'invoice',
                  reference: 'INV-0002',
                  effectMinor: 345_067n,
                  balanceMinor: 1_345_067n,
                },
                {
                  date: day(-5),
                  kind: 'receipt',
                  reference: 'B-778',
                  effectMinor: -110_500n,
                  balanceMinor: 1_234_567n,
                },
              ],
              closingMinor: 1_234_567n,
            },
          ]
        : [],
    balances:
      kind === 'balance_confirmation'
        ? [
            {
              currency: 'CNY',
              openInvoicesMinor: 1_234_567n,
              unappliedCreditMinor: 0n,
              balanceMinor: 1_234_567n,
            },
          ]
        : [],
    hasSeal,
  };
}

import { describe, expect, it } from 'vitest';
import type { CalendarDate } from './calendar-date';
import { letterTemplateSchema } from './contracts/letters';
import {
  amountInCapitals,
  amountInFigures,
  buildLetterDocument,
  DEFAULT_LETTER_TEMPLATES,
  fillPlaceholders,
  LETTER_KINDS,
  letterDocumentToHtml,
  letterDocumentToText,
  placeholderValues,
  sampleLetterData,
  unknownPlaceholders,
  type LetterCompany,
  type LetterData,
  type LetterTemplate,
} from './letters';
import { integerToEnglishWords, toEnglishAmountWords } from './money';

const asOf = '2026-11-22' as CalendarDate;
const company: LetterCompany = {
  name: '回款演示机械有限公司',
  address: '上海市浦东新区世纪大道 100 号',
  phone: '021-5555 0000',
  email: 'ar@demo.test',
  taxId: '91310000MA1K000000',
  bankName: '招商银行上海分行',
  bankAccount: '6214 8888 0000 1234',
  signatory: '王律师',
};

/** Two overdue invoices of 10,000.00 and 2,345.67 open: 12,345.67 in all. */
function dunningData(overrides: Partial<LetterData> = {}): LetterData {
  return {
    kind: 'dunning_letter',
    locale: 'zh-CN',
    company,
    customer: { name: '华东机械有限公司', code: 'C-001', address: null },
    asOf,
    period: null,
    items: [
      {
        number: 'INV-1',
        invoiceDate: '2026-08-01' as CalendarDate,
        dueDate: '2026-09-01' as CalendarDate,
        daysOverdue: 82,
        totalMinor: 1_000_000n,
        openMinor: 1_000_000n,
        currency: 'CNY',
      },
      {
        number: 'INV-2',
        invoiceDate: '2026-09-15' as CalendarDate,
        dueDate: '2026-10-15' as CalendarDate,
        daysOverdue: 38,
        totalMinor: 300_000n,
        openMinor: 234_567n,
        currency: 'CNY',
      },
    ],
    statement: [],
    balances: [],
    hasSeal: false,
    ...overrides,
  };
}

describe('amounts in words', () => {
  it('writes 12345.67 in 大写 and in English words', () => {
    const value = { amountMinor: 1_234_567n, currency: 'CNY' };
    expect(amountInCapitals(value)).toBe('人民币壹万贰仟叁佰肆拾伍元陆角柒分');
    expect(amountInFigures(value, 'zh-CN')).toBe('人民币 12,345.67 元');
    expect(amountInFigures(value, 'en')).toBe('CNY 12,345.67');
    expect(toEnglishAmountWords(value)).toBe(
      'twelve thousand three hundred forty-five yuan and sixty-seven fen',
    );
  });

  it.each([
    [0n, 'zero'],
    [7n, 'seven'],
    [19n, 'nineteen'],
    [20n, 'twenty'],
    [101n, 'one hundred one'],
    [1_000n, 'one thousand'],
    [1_000_001n, 'one million one'],
    [2_300_450_000n, 'two billion three hundred million four hundred fifty thousand'],
  ])('%s → %s', (value, words) => {
    expect(integerToEnglishWords(value)).toBe(words);
  });

  it('says "only" for whole amounts and handles fen alone, other currencies and negatives', () => {
    expect(toEnglishAmountWords({ amountMinor: 10_000n, currency: 'CNY' })).toBe('one hundred yuan only');
    expect(toEnglishAmountWords({ amountMinor: 5n, currency: 'CNY' })).toBe('five fen');
    expect(toEnglishAmountWords({ amountMinor: 150n, currency: 'USD' })).toBe(
      'one US dollars and fifty cents',
    );
    expect(toEnglishAmountWords({ amountMinor: 1_000_500n, currency: 'KWD' })).toBe(
      'one thousand KWD and 500/1000',
    );
    expect(toEnglishAmountWords({ amountMinor: -1_234_567n, currency: 'CNY' })).toBe(
      'minus twelve thousand three hundred forty-five yuan and sixty-seven fen',
    );
  });

  it('shows figures where 大写 is not defined (no 角 and 分)', () => {
    expect(amountInCapitals({ amountMinor: 1_000n, currency: 'JPY' })).toBe('日元 1,000');
  });
});

describe('placeholders', () => {
  it('finds unknown names in every block, with where they are', () => {
    const template: LetterTemplate = {
      ...DEFAULT_LETTER_TEMPLATES.dunning_letter['zh-CN'],
      paragraphs: ['{{customer.name}} 欠 {{ total.figures }}', '截至 {{asof}}', '{{company.nam}}'],
      signature: '{{ evil }}',
    };
    expect(unknownPlaceholders(template)).toEqual([
      { path: ['paragraphs', 1], name: 'asof' },
      { path: ['paragraphs', 2], name: 'company.nam' },
      { path: ['signature'], name: 'evil' },
    ]);
  });

  it('refuses an unknown placeholder in the contract, naming it and its block', () => {
    const result = letterTemplateSchema.safeParse({
      ...DEFAULT_LETTER_TEMPLATES.statement.en,
      paragraphs: ['Hello {{customer.nmae}}'],
    });
    expect(result.success).toBe(false);
    expect(result.error?.issues).toEqual([
      expect.objectContaining({ path: ['paragraphs', 0], message: 'Unknown placeholder {{customer.nmae}}' }),
    ]);
  });

  it('accepts every built-in template', () => {
    for (const kind of LETTER_KINDS) {
      for (const locale of ['zh-CN', 'en'] as const) {
        expect(letterTemplateSchema.safeParse(DEFAULT_LETTER_TEMPLATES[kind][locale]).success).toBe(true);
      }
    }
  });

  it('fills values, tolerates spaces inside braces and computes the deadline from the date', () => {
    const values = placeholderValues(dunningData(), { deadlineDays: 10 });
    expect(values['total.figures']).toBe('人民币 12,345.67 元');
    expect(values['total.capital']).toBe('人民币壹万贰仟叁佰肆拾伍元陆角柒分');
    expect(values.deadline).toBe('2026-12-02');
    expect(values['overdue.maxDays']).toBe('82');
    expect(values['invoice.count']).toBe('2');
    expect(fillPlaceholders('{{ customer.name }}，截至{{asOf}}', values)).toBe(
      '华东机械有限公司，截至2026-11-22',
    );
  });

  it('drops a bracketed aside whose placeholder is empty, and keeps it when there is a value', () => {
    const values = placeholderValues(dunningData(), { deadlineDays: 10 });
    const zh = '请与我公司财务部联系（电话：{{company.phone}}）。';
    const en = 'Please contact our finance department (telephone {{company.phone}}).';
    expect(fillPlaceholders(zh, { ...values, 'company.phone': '' })).toBe('请与我公司财务部联系。');
    expect(fillPlaceholders(en, { ...values, 'company.phone': '' })).toBe(
      'Please contact our finance department.',
    );
    expect(fillPlaceholders(zh, { ...values, 'company.phone': '021-5555' })).toBe(
      '请与我公司财务部联系（电话：021-5555）。',
    );
  });

  it('totals per currency, never mixing them', () => {
    const data = dunningData();
    data.items.push({
      ...data.items[0]!,
      number: 'USD-1',
      totalMinor: 150n,
      openMinor: 150n,
      currency: 'USD',
    });
    const values = placeholderValues(data, { deadlineDays: 0 });
    expect(values['total.figures']).toBe('人民币 12,345.67 元；美元 1.50');
    expect(values['total.capital']).toBe('人民币壹万贰仟叁佰肆拾伍元陆角柒分；美元壹元伍角整');
  });
});

describe('buildLetterDocument', () => {
  it('makes a 催款函 with the invoice table, total in figures and 大写, payment account and signature', () => {
    const doc = buildLetterDocument(DEFAULT_LETTER_TEMPLATES.dunning_letter['zh-CN'], dunningData());
    expect(doc.title).toBe('催款函');
    expect(doc.salutation).toBe('华东机械有限公司：');
    expect(doc.paragraphs[0]).toContain(
      '合计 人民币 12,345.67 元（大写：人民币壹万贰仟叁佰肆拾伍元陆角柒分），最长已逾期 82 天',
    );
    expect(doc.paragraphs[1]).toContain('2026-12-02 前');
    expect(doc.tables).toHaveLength(1);
    expect(doc.tables[0]?.rows).toEqual([
      ['INV-1', '2026-08-01', '2026-09-01', '82', '10,000.00', '10,000.00'],
      ['INV-2', '2026-09-15', '2026-10-15', '38', '3,000.00', '2,345.67'],
    ]);
    expect(doc.tables[0]?.totals).toEqual([['合计', '', '', '', '', '12,345.67']]);
    expect(doc.summary).toEqual([
      '合计欠款：人民币 12,345.67 元（大写：人民币壹万贰仟叁佰肆拾伍元陆角柒分）',
    ]);
    expect(doc.payment).toEqual([
      '收款账户：回款演示机械有限公司；开户行：招商银行上海分行；账号：6214 8888 0000 1234',
    ]);
    expect(doc.closing).toEqual(['此致', '敬礼！']);
    expect(doc.signature).toEqual({
      lines: ['回款演示机械有限公司', '财务部'],
      date: '2026-11-22',
      hasSeal: false,
    });
    expect(doc.replySlip).toBeNull();
  });

  it('makes a 对账单 from opening, entries with debit/credit columns and closing', () => {
    const data: LetterData = {
      ...dunningData({ kind: 'statement', items: [] }),
      period: { from: '2026-11-01' as CalendarDate, to: '2026-11-30' as CalendarDate },
      asOf: '2026-11-30' as CalendarDate,
      statement: [
        {
          currency: 'CNY',
          openingMinor: 1_000_000n,
          entries: [
            {
              date: '2026-11-03' as CalendarDate,
              kind: 'invoice',
              reference: 'INV-9',
              effectMinor: 345_067n,
              balanceMinor: 1_345_067n,
            },
            {
              date: '2026-11-20' as CalendarDate,
              kind: 'receipt',
              reference: 'B-1',
              effectMinor: -110_500n,
              balanceMinor: 1_234_567n,
            },
          ],
          closingMinor: 1_234_567n,
        },
      ],
    };
    const doc = buildLetterDocument(DEFAULT_LETTER_TEMPLATES.statement['zh-CN'], data);
    expect(doc.paragraphs[0]).toBe(
      '现将 2026-11-01 至 2026-11-30 期间贵我双方的往来明细列示如下：期初余额 人民币 10,000.00 元，期末余额 人民币 12,345.67 元（大写：人民币壹万贰仟叁佰肆拾伍元陆角柒分）。',
    );
    expect(doc.tables[0]?.rows).toEqual([
      ['2026-11-01', '期初余额', '', '', '', '10,000.00'],
      ['2026-11-03', '开票', 'INV-9', '3,450.67', '', '13,450.67'],
      ['2026-11-20', '收款', 'B-1', '', '1,105.00', '12,345.67'],
    ]);
    expect(doc.tables[0]?.totals).toEqual([['2026-11-30', '期末余额', '', '', '', '12,345.67']]);
    expect(doc.summary).toEqual([
      '期末余额：人民币 12,345.67 元（大写：人民币壹万贰仟叁佰肆拾伍元陆角柒分）',
    ]);
  });

  it('gives the 对账函 a reply slip with both answers and seal lines, and no payment request', () => {
    const data = dunningData({
      kind: 'balance_confirmation',
      balances: [
        {
          currency: 'CNY',
          openInvoicesMinor: 1_234_567n,
          unappliedCreditMinor: 0n,
          balanceMinor: 1_234_567n,
        },
      ],
    });
    const doc = buildLetterDocument(DEFAULT_LETTER_TEMPLATES.balance_confirmation['zh-CN'], data);
    expect(doc.payment).toEqual([]);
    expect(doc.replySlip?.agree.label).toBe('1. 信息证明无误。');
    expect(doc.replySlip?.disagree.label).toContain('信息不符');
    expect(doc.replySlip?.disagree.label).toContain('需加说明事项');
    expect(doc.replySlip?.agree.lines).toContain('（公司盖章）');
    expect(doc.replySlip?.addressee).toBe('致：回款演示机械有限公司');
    const text = letterDocumentToText(doc);
    expect(text).toContain('信息证明无误');
    expect(text).toContain('人民币壹万贰仟叁佰肆拾伍元陆角柒分');
  });

  it('writes English letters with amounts in words', () => {
    const doc = buildLetterDocument(
      DEFAULT_LETTER_TEMPLATES.dunning_letter.en,
      dunningData({ locale: 'en' }),
    );
    expect(doc.paragraphs[0]).toContain(
      'in total CNY 12,345.67 (twelve thousand three hundred forty-five yuan and sixty-seven fen)',
    );
    expect(doc.summary).toEqual([
      'Total outstanding: CNY 12,345.67 (In words: twelve thousand three hundred forty-five yuan and sixty-seven fen)',
    ]);
    expect(doc.tables[0]?.columns.map((c) => c.header)).toContain('Days overdue');
  });

  it('builds every kind in both languages from sample data without leaving braces behind', () => {
    for (const kind of LETTER_KINDS) {
      for (const locale of ['zh-CN', 'en'] as const) {
        const doc = buildLetterDocument(
          DEFAULT_LETTER_TEMPLATES[kind][locale],
          sampleLetterData(kind, locale, company, asOf, true),
        );
        const text = letterDocumentToText(doc);
        expect(text, `${kind} ${locale}`).not.toMatch(/\{\{|\}\}/);
        expect(text, `${kind} ${locale}`).toContain('12,345.67');
      }
    }
  });
});

describe('letterDocumentToHtml', () => {
  it('escapes every text a user or customer could have written', () => {
    const data = dunningData({
      customer: { name: '<script>alert(1)</script> & "Co"', code: 'X', address: null },
      company: { ...company, name: "<img src=x onerror='x'>" },
    });
    const template = { ...DEFAULT_LETTER_TEMPLATES.dunning_letter['zh-CN'], title: '<b>催款函</b>' };
    const html = letterDocumentToHtml(buildLetterDocument(template, data));
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<img src=x');
    expect(html).not.toContain('<b>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;Co&quot;');
    expect(html).toContain('&lt;img src=x onerror=&#39;x&#39;&gt;');
  });

  it('places the seal over the signature only from a PNG or JPEG data URI', () => {
    const doc = buildLetterDocument(
      DEFAULT_LETTER_TEMPLATES.dunning_letter['zh-CN'],
      dunningData({ hasSeal: true }),
    );
    expect(letterDocumentToHtml(doc, { sealDataUri: 'data:image/png;base64,iVBORw0KGgo=' })).toMatch(
      /<div class="signature"><img class="seal" alt="" src="data:image\/png;base64,iVBORw0KGgo=">/,
    );
    expect(letterDocumentToHtml(doc, { sealDataUri: 'javascript:alert(1)' })).not.toContain('<img');
    expect(letterDocumentToHtml(doc, { sealDataUri: 'data:image/svg+xml;base64,PHN2Zz4=' })).not.toContain(
      '<img',
    );
  });
});

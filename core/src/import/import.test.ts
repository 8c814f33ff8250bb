import { describe, expect, it } from 'vitest';
import { CsvSyntaxError, parseCsv } from './csv';
import { compileDateFormat, parseDateText } from './dates';
import { checkInvoiceRows } from './invoices';
import { checkReceiptRows } from './receipts';
import { resolveMapping, tableFromRecords } from './mapping';
import { formatIssue, totalsByCurrency } from './summary';

const options = { dateFormat: 'YYYY-MM-DD', defaultCurrency: 'CNY', decimal: {} };

describe('parseCsv', () => {
  it('reads quoted fields with commas, doubled quotes and line breaks, with CRLF records', () => {
    const text = 'a,b,c\r\n"x, y","say ""hi""","two\r\nlines"\r\n1,,3\r\n';
    expect(parseCsv(text)).toEqual([
      { line: 1, cells: ['a', 'b', 'c'] },
      { line: 2, cells: ['x, y', 'say "hi"', 'two\r\nlines'] },
      { line: 4, cells: ['1', '', '3'] },
    ]);
  });

  it('drops a UTF-8 byte order mark and reads LF, CR and a last record without a line break', () => {
    expect(parseCsv('\uFEFF客户编码,金额\n001,1.5\r002,"2"')).toEqual([
      { line: 1, cells: ['客户编码', '金额'] },
      { line: 2, cells: ['001', '1.5'] },
      { line: 3, cells: ['002', '2'] },
    ]);
  });

  it('skips blank lines but counts them, keeps empty quoted fields and trailing empty fields', () => {
    expect(parseCsv('a,b\n\n"",x,\n')).toEqual([
      { line: 1, cells: ['a', 'b'] },
      { line: 3, cells: ['', 'x', ''] },
    ]);
  });

  it('reads other delimiters', () => {
    expect(parseCsv('a;b\n"1;2";3', { delimiter: ';' })[1]?.cells).toEqual(['1;2', '3']);
    expect(parseCsv('a\tb\n1,5\t3', { delimiter: '\t' })[1]?.cells).toEqual(['1,5', '3']);
  });

  it('rejects an unterminated quote and a stray quote with the line', () => {
    expect(() => parseCsv('a\n"open,1\n2')).toThrow(CsvSyntaxError);
    expect(() => parseCsv('a\n"open,1\n2')).toThrow(/line 2/);
    expect(() => parseCsv('a,b\n1,x"y')).toThrow(/quote inside/);
    expect(() => parseCsv('a,b\n"1"x,2')).toThrow(/after a closing quote/);
  });
});

describe('parseDateText', () => {
  it.each([
    ['2024-03-05', 'YYYY-MM-DD', '2024-03-05'],
    ['2024/3/5', 'YYYY/MM/DD', '2024-03-05'],
    ['05/03/2024', 'DD/MM/YYYY', '2024-03-05'],
    ['03/05/2024', 'MM/DD/YYYY', '2024-03-05'],
    ['20240305', 'YYYYMMDD', '2024-03-05'],
    ['2024年3月5日', 'YYYY年M月D日', '2024-03-05'],
    ['２０２４年１２月３１日', 'YYYY年M月D日', '2024-12-31'],
    ['2024-03-05 00:00:00', 'DD/MM/YYYY', '2024-03-05'],
    ['2024-02-29', 'DD/MM/YYYY', '2024-02-29'],
  ])('%s in %s is %s', (text, format, expected) => {
    expect(parseDateText(text, format)).toBe(expected);
  });

  it.each([
    ['2023-02-29', 'YYYY-MM-DD'],
    ['31/04/2024', 'DD/MM/YYYY'],
    ['2024035', 'YYYYMMDD'],
    ['13/13/2024', 'MM/DD/YYYY'],
    ['yesterday', 'YYYY-MM-DD'],
    ['', 'YYYY-MM-DD'],
  ])('%s in %s is not a date', (text, format) => {
    expect(parseDateText(text, format)).toBeNull();
  });

  it('refuses a format without a year, month and day', () => {
    expect(compileDateFormat('YYYY-MM')).toBeNull();
    expect(compileDateFormat('DD/MM/YYYY')).not.toBeNull();
  });
});

describe('column mapping', () => {
  it('maps Chinese and English headers by default and lets --map override them', () => {
    const table = {
      headers: ['客户编码', 'Customer Name', '单据编号', '开票日期', '到期日', '价税合计', 'Paid'],
      headerLine: 1,
    };
    const { resolved, issues } = resolveMapping('invoices', table, { settledDate: 'Paid' });
    expect(issues).toEqual([]);
    expect(resolved.mapping).toMatchObject({
      customerCode: '客户编码',
      customerName: 'Customer Name',
      number: '单据编号',
      invoiceDate: '开票日期',
      dueDate: '到期日',
      amount: '价税合计',
      settledDate: 'Paid',
    });
  });

  it('reports every header problem at once', () => {
    const table = { headers: ['code', 'date'], headerLine: 3 };
    const { issues } = resolveMapping('invoices', table, { bogus: 'code', amount: 'Sum' });
    expect(issues.map((issue) => [issue.row, issue.line, issue.column])).toEqual([
      [0, 3, 'code'],
      [0, 3, 'Sum'],
      [0, 3, 'customerCode'],
      [0, 3, 'number'],
      [0, 3, 'dueDate'],
      [0, 3, 'amount'],
    ]);
  });
});

describe('checkInvoiceRows', () => {
  const csv = [
    'customerCode,customerName,number,invoiceDate,dueDate,amount,currency,settledDate,settledAmount,disputed',
    'C1,甲公司,INV-1,2024-01-10,2024-02-09,"1,000,000.07",CNY,,,否',
    'C1,甲公司,INV-2,2024-01-11,2024-02-10,３３.３３,,2024-03-01,0.01,',
    'C2,乙公司,INV-3,2024-01-12,2024-02-11,94,USD,2024-01-20,,yes',
  ].join('\n');

  it('reads amounts exactly, settlement defaults to the whole amount, currency defaults to the option', () => {
    const table = tableFromRecords(parseCsv(csv));
    const { resolved } = resolveMapping('invoices', table);
    const { rows, issues } = checkInvoiceRows(table, resolved, options);
    expect(issues).toEqual([]);
    expect(rows.map((r) => [r.number, r.currency, r.amountMinor, r.settlement, r.isDisputed])).toEqual([
      ['INV-1', 'CNY', 100000007n, null, false],
      ['INV-2', 'CNY', 3333n, { date: '2024-03-01', amountMinor: 1n }, false],
      ['INV-3', 'USD', 9400n, { date: '2024-01-20', amountMinor: 9400n }, true],
    ]);
    expect(
      totalsByCurrency(
        rows.map((r) => ({
          currency: r.currency,
          amountMinor: r.amountMinor,
          settledMinor: r.settlement?.amountMinor ?? 0n,
        })),
      ),
    ).toEqual([
      { currency: 'CNY', amount: '1000033.40', settledAmount: '0.01' },
      { currency: 'USD', amount: '94.00', settledAmount: '94.00' },
    ]);
  });

  it('reports every bad cell with its row, line and column, and duplicates within the file', () => {
    const bad = [
      '客户编码,发票号,开票日期,到期日,金额,回款日期,回款金额',
      ',A-1,2024-13-01,2024-01-01,12.345,,5',
      'C1,A-2,2024-01-05,2024-01-01,0,2024-01-01,',
      'C1,"A-3",2024-01-05,2024-01-06,"1,23",2024-01-07,2',
      'C1,A-1,2024-01-05,2024-01-06,-5,,',
    ].join('\r\n');
    const table = tableFromRecords(parseCsv(bad));
    const { resolved } = resolveMapping('invoices', table);
    const { rows, issues } = checkInvoiceRows(table, resolved, options);
    expect(rows).toEqual([]);
    expect(issues.map((i) => `${i.row}/${i.line}/${i.column}`)).toEqual([
      '1/2/客户编码',
      '1/2/开票日期',
      '1/2/金额',
      '1/2/回款日期',
      '2/3/金额',
      '2/3/到期日',
      '2/3/回款日期',
      '3/4/金额',
      '4/5/金额',
      '4/5/发票号',
    ]);
    const [first] = issues;
    expect(first && formatIssue('x.csv', first)).toBe(
      'x.csv:2: row 1, column "客户编码": customerCode is required',
    );
  });

  it('reads European decimals when asked', () => {
    const table = tableFromRecords(
      parseCsv('number;customerCode;invoiceDate;dueDate;amount\nE1;C;05.03.2024;05.04.2024;"1.234,56"', {
        delimiter: ';',
      }),
    );
    const { resolved } = resolveMapping('invoices', table);
    const european = {
      dateFormat: 'DD.MM.YYYY',
      defaultCurrency: 'EUR',
      decimal: { decimalSeparator: ',' as const },
    };
    const { rows, issues } = checkInvoiceRows(table, resolved, european);
    expect(issues).toEqual([]);
    expect(rows[0]).toMatchObject({ invoiceDate: '2024-03-05', dueDate: '2024-04-05', amountMinor: 123456n });
  });
});

describe('checkReceiptRows', () => {
  it('reads Chinese method names and defaults to bank transfer', () => {
    const table = tableFromRecords(
      parseCsv(
        '客户编码,回款日期,金额,收款方式,付款人\nC1,2024-02-01,61.7,微信,张三\nC1,2024-02-02,1,,\nC1,2024-02-03,1,barter,',
      ),
    );
    const { resolved } = resolveMapping('receipts', table);
    const { rows, issues } = checkReceiptRows(table, resolved, options);
    expect(rows.map((r) => [r.amountMinor, r.method, r.payerName])).toEqual([
      [6170n, 'wechat_pay', '张三'],
      [100n, 'bank_transfer', null],
    ]);
    expect(issues).toEqual([
      { row: 3, line: 4, column: '收款方式', message: expect.stringContaining('"barter"') },
    ]);
  });
});

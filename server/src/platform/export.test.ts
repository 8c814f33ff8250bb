import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { neutralizeFormula, toCsv, toXlsx, type ExportColumn } from './export';

type Row = { name: string; balanceMinor: bigint; dueDate: string; count: number };

const columns: ExportColumn<Row>[] = [
  { header: '客户名称', value: (row) => row.name },
  { header: '余额', value: (row) => ({ amountMinor: row.balanceMinor, currency: 'CNY' }), kind: 'money' },
  { header: '到期日', value: (row) => row.dueDate, kind: 'date' },
  { header: 'count', value: (row) => row.count, kind: 'number' },
];

const rows: Row[] = [
  { name: '=1+1', balanceMinor: 100000007n, dueDate: '2026-01-31', count: 3 },
  { name: '+cmd|" /C calc"!A0', balanceMinor: -1234n, dueDate: '2026-02-01', count: -2 },
  { name: '-2+3', balanceMinor: 1n, dueDate: '2026-02-02', count: 0 },
  { name: '@SUM(A1:A2)', balanceMinor: 0n, dueDate: '2026-02-03', count: 1 },
  { name: '\t=evil', balanceMinor: 3333n, dueDate: '2026-02-04', count: 1 },
  { name: '甲公司, "总部"', balanceMinor: 6170n, dueDate: '2026-02-05', count: 1 },
];

describe('toCsv', () => {
  it('writes a BOM, CRLF lines, exact money, and formula-like text behind an apostrophe', () => {
    const text = toCsv(rows, columns).toString('utf8');
    expect(text.startsWith('\uFEFF')).toBe(true);
    expect(text.slice(1).split('\r\n')).toEqual([
      '客户名称,余额,到期日,count',
      "'=1+1,1000000.07,2026-01-31,3",
      `"'+cmd|"" /C calc""!A0",-12.34,2026-02-01,-2`,
      "'-2+3,0.01,2026-02-02,0",
      "'@SUM(A1:A2),0.00,2026-02-03,1",
      "'\t=evil,33.33,2026-02-04,1",
      '"甲公司, ""总部""",61.70,2026-02-05,1',
      '',
    ]);
  });

  it('neutralizes formulas even in a money column when the text is not a plain number', () => {
    expect(neutralizeFormula('-12.34', 'money')).toBe('-12.34');
    expect(neutralizeFormula('-1+2', 'money')).toBe("'-1+2");
    expect(neutralizeFormula('\r=1', 'text')).toBe("'\r=1");
    expect(neutralizeFormula('  =1', 'text')).toBe("'  =1");
  });
});

describe('toXlsx', () => {
  it('writes text cells, never formulas, and money as exact text', async () => {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await toXlsx(rows, columns)) as unknown as ExcelJS.Buffer);
    const sheet = workbook.worksheets[0];
    expect(sheet?.getRow(1).values).toEqual([undefined, '客户名称', '余额', '到期日', 'count']);
    const first = sheet?.getRow(2);
    expect(first?.getCell(1).type).toBe(ExcelJS.ValueType.String);
    expect(first?.getCell(1).value).toBe("'=1+1");
    expect(first?.getCell(1).formula).toBeUndefined();
    expect(first?.getCell(2).value).toBe('1000000.07');
    expect(sheet?.getRow(3).getCell(2).value).toBe('-12.34');
    expect(sheet?.getRow(3).getCell(4).value).toBe(-2);
    for (let row = 2; row <= rows.length + 1; row += 1) {
      expect(sheet?.getRow(row).getCell(1).type).toBe(ExcelJS.ValueType.String);
    }
  });
});

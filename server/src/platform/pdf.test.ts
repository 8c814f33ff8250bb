import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { groupedAmount, renderPdf, renderTableReport } from './pdf';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'huikuan-pdf-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

let count = 0;
function textOf(pdf: Buffer): string {
  count += 1;
  const file = path.join(tmp, `${count}.pdf`);
  fs.writeFileSync(file, pdf);
  return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
}

function pagesOf(pdf: Buffer): number {
  count += 1;
  const file = path.join(tmp, `${count}.pdf`);
  fs.writeFileSync(file, pdf);
  const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
  return Number(/Pages:\s+(\d+)/.exec(info)?.[1]);
}

describe('groupedAmount', () => {
  it('groups thousands without touching a digit', () => {
    expect(groupedAmount('1234567.05')).toBe('1,234,567.05');
    expect(groupedAmount('-1000000')).toBe('-1,000,000');
    expect(groupedAmount('999.999')).toBe('999.999');
    expect(groupedAmount('90071992547409931.01')).toBe('90,071,992,547,409,931.01');
    expect(groupedAmount('not money')).toBe('not money');
  });
});

describe('renderTableReport', () => {
  it('prints title, filters, date, Chinese text, right-aligned money and totals', async () => {
    const pdf = await renderTableReport({
      locale: 'zh-CN',
      title: '账龄分析表',
      subtitle: '回款演示机械有限公司',
      asOf: '2026-11-22',
      filters: [
        { label: '分组', value: '客户' },
        { label: '团队', value: '华东' },
      ],
      columns: [{ header: '客户' }, { header: '未收金额', align: 'right' }],
      rows: [
        ['华东机械有限公司', groupedAmount('1000000.07')],
        ['北方工业', groupedAmount('0.01')],
      ],
      totals: [['合计', groupedAmount('1000000.08')]],
    });
    const text = textOf(pdf);
    for (const expected of [
      '账龄分析表',
      '回款演示机械有限公司',
      '截至 2026-11-22',
      '分组：客户；团队：华东',
      '华东机械有限公司',
      '1,000,000.07',
      '1,000,000.08',
      '第 1 页，共 1 页',
    ]) {
      expect(text).toContain(expected);
    }
    // Right-aligned: the amounts end in the same column.
    const lines = text.split('\n').filter((line) => /1,000,000\.0[78]|0\.01$/.test(line.trimEnd()));
    const ends = new Set(lines.map((line) => line.trimEnd().length));
    expect(lines).toHaveLength(3);
    expect(ends.size).toBe(1);
  });

  it('numbers every page and repeats the header on long tables, in English too', async () => {
    const pdf = await renderTableReport({
      locale: 'en',
      title: 'Aging items',
      period: { from: '2026-01-01', to: '2026-11-22' },
      columns: [{ header: 'Invoice' }, { header: 'Open', align: 'right' }],
      rows: Array.from({ length: 150 }, (_, index) => [`INV-${index}`, '1.00']),
    });
    const pages = pagesOf(pdf);
    expect(pages).toBeGreaterThan(1);
    const text = textOf(pdf);
    expect(text).toContain('Period 2026-01-01 to 2026-11-22');
    expect(text).toContain(`Page ${pages} of ${pages}`);
    expect(text.match(/Invoice/g)?.length).toBe(pages);
    expect(text).toContain('INV-149');
  });

  it('says so when there are no rows', async () => {
    const text = textOf(
      await renderTableReport({
        locale: 'zh-CN',
        title: '空表',
        columns: [{ header: 'A' }, { header: 'B' }],
        rows: [],
      }),
    );
    expect(text).toContain('无数据');
  });
});

describe('resource access', () => {
  it('refuses to fetch an image from a URL or read one from disk', async () => {
    await expect(
      renderPdf({ content: [{ image: 'http://127.0.0.1:1/logo.png', width: 10 }] }),
    ).rejects.toThrow();
    await expect(renderPdf({ content: [{ image: '/etc/hostname', width: 10 }] })).rejects.toThrow(/denied/);
  });
});

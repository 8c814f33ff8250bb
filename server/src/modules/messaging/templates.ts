import { minorToDecimalString, type CalendarDate, type Locale } from '@huikuan/core';

/**
 * The short texts of reminders and notices (提醒/逾期通知) in the organization's language. Formal letters
 * (催款函, 律师函) belong to the letters module; these are the everyday messages of the ladder.
 */

export type ReminderFacts = {
  organizationName: string;
  customerName: string;
  invoiceNumber: string;
  chasedMinor: bigint;
  currency: string;
  dueDate: CalendarDate;
  /** Negative before the due date. */
  daysOverdue: number;
};

export type ComposedMessage = {
  subject: string;
  bodyText: string;
  /** The variables an SMS template may use: ${customer} ${invoice} ${amount} ${dueDate} ${days}. */
  templateParams: Record<string, string>;
};

/** 1234567.8 → "1,234,567.80": grouping on the exact decimal string, never through a float. */
export function groupedAmount(amountMinor: bigint, currency: string): string {
  const text = minorToDecimalString(amountMinor, currency);
  const [whole = '', fraction] = text.replace('-', '').split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${text.startsWith('-') ? '-' : ''}${grouped}${fraction === undefined ? '' : `.${fraction}`}`;
}

function params(facts: ReminderFacts): Record<string, string> {
  return {
    customer: facts.customerName,
    invoice: facts.invoiceNumber,
    amount: `${groupedAmount(facts.chasedMinor, facts.currency)} ${facts.currency}`,
    dueDate: facts.dueDate,
    days: String(Math.abs(facts.daysOverdue)),
  };
}

function timingZh(facts: ReminderFacts): string {
  if (facts.daysOverdue < 0) return `将于 ${facts.dueDate} 到期（还有 ${-facts.daysOverdue} 天）`;
  if (facts.daysOverdue === 0) return `今天（${facts.dueDate}）到期`;
  return `已于 ${facts.dueDate} 到期，已逾期 ${facts.daysOverdue} 天`;
}

function timingEn(facts: ReminderFacts): string {
  if (facts.daysOverdue < 0) return `falls due on ${facts.dueDate} (in ${-facts.daysOverdue} days)`;
  if (facts.daysOverdue === 0) return `falls due today (${facts.dueDate})`;
  return `fell due on ${facts.dueDate} and is ${facts.daysOverdue} days overdue`;
}

export function customerReminder(locale: Locale, facts: ReminderFacts): ComposedMessage {
  const p = params(facts);
  if (locale === 'zh-CN') {
    return {
      subject: `付款提醒：发票 ${facts.invoiceNumber} ${facts.daysOverdue > 0 ? '已逾期' : '即将到期'}`,
      bodyText: [
        `${facts.customerName}：您好！`,
        '',
        `贵司发票 ${facts.invoiceNumber} 尚有 ${p.amount} 未付，${timingZh(facts)}。请安排付款；如已付款，请忽略本提醒。`,
        '',
        facts.organizationName,
      ].join('\n'),
      templateParams: p,
    };
  }
  return {
    subject: `Payment reminder: invoice ${facts.invoiceNumber}${facts.daysOverdue > 0 ? ' is overdue' : ''}`,
    bodyText: [
      `Dear ${facts.customerName},`,
      '',
      `Invoice ${facts.invoiceNumber} has ${p.amount} unpaid and ${timingEn(facts)}. Please arrange payment; if you have already paid, please ignore this reminder.`,
      '',
      facts.organizationName,
    ].join('\n'),
    templateParams: p,
  };
}

export function overdueNotice(locale: Locale, facts: ReminderFacts): ComposedMessage {
  const p = params(facts);
  if (locale === 'zh-CN') {
    return {
      subject: `逾期付款通知：发票 ${facts.invoiceNumber} 已逾期 ${facts.daysOverdue} 天`,
      bodyText: [
        `${facts.customerName}：`,
        '',
        `贵司发票 ${facts.invoiceNumber} 应于 ${facts.dueDate} 付款，截至今日仍有 ${p.amount} 未付，已逾期 ${facts.daysOverdue} 天。请于收到本通知后尽快付款，并将付款凭证回复我们；如对款项有异议，请及时与我们联系。`,
        '',
        facts.organizationName,
      ].join('\n'),
      templateParams: p,
    };
  }
  return {
    subject: `Overdue notice: invoice ${facts.invoiceNumber} is ${facts.daysOverdue} days overdue`,
    bodyText: [
      `Dear ${facts.customerName},`,
      '',
      `Invoice ${facts.invoiceNumber} was due on ${facts.dueDate} and ${p.amount} remains unpaid, ${facts.daysOverdue} days overdue. Please pay promptly and send us the remittance advice; if you dispute the amount, contact us without delay.`,
      '',
      facts.organizationName,
    ].join('\n'),
    templateParams: p,
  };
}

/** To the customer's owner (负责人), inside the company. */
export function ownerReminder(locale: Locale, facts: ReminderFacts): ComposedMessage {
  const p = params(facts);
  if (locale === 'zh-CN') {
    return {
      subject: `催收提醒：${facts.customerName} 发票 ${facts.invoiceNumber}`,
      bodyText: `客户 ${facts.customerName} 的发票 ${facts.invoiceNumber} 尚有 ${p.amount} 未收，${timingZh(facts)}。请跟进收款。`,
      templateParams: p,
    };
  }
  return {
    subject: `Collection reminder: ${facts.customerName}, invoice ${facts.invoiceNumber}`,
    bodyText: `Invoice ${facts.invoiceNumber} of ${facts.customerName} has ${p.amount} outstanding and ${timingEn(facts)}. Please follow up.`,
    templateParams: p,
  };
}

export function testMessage(locale: Locale, organizationName: string, channelLabel: string): ComposedMessage {
  return locale === 'zh-CN'
    ? {
        subject: `测试消息（${channelLabel}）`,
        bodyText: `这是 ${organizationName} 从回款系统发出的测试消息。收到即表示 ${channelLabel} 渠道配置正确。`,
        templateParams: { customer: organizationName, invoice: 'TEST', amount: '0', dueDate: '', days: '0' },
      }
    : {
        subject: `Test message (${channelLabel})`,
        bodyText: `This is a test message from ${organizationName}'s receivables system. If you read it, the ${channelLabel} channel works.`,
        templateParams: { customer: organizationName, invoice: 'TEST', amount: '0', dueDate: '', days: '0' },
      };
}

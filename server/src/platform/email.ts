import nodemailer from 'nodemailer';

/**
 * Email over SMTP (nodemailer). One transport per send: settings belong to the organization and change at any time,
 * and the delivery worker sends a handful of messages per run, so pooling connections would buy little and keep
 * sockets to many servers open.
 */

export type SmtpSettings = {
  host: string;
  port: number;
  /** TLS from the first byte (465); otherwise STARTTLS is used when the server offers it. */
  secure: boolean;
  user: string | null;
  password: string | null;
};

export type EmailAddress = { address: string; name?: string | null };

export type EmailAttachment = { filename: string; contentType: string; content: Uint8Array };

export type OutgoingEmail = {
  from: string;
  to: EmailAddress;
  cc: readonly string[];
  subject: string;
  text: string;
  html?: string | null;
  attachments: readonly EmailAttachment[];
  /** Our own Message-ID (`<…@…>`): the same for every attempt at one message, so a mail client can spot a repeat. */
  messageId: string;
};

export type EmailResult = { messageId: string; response: string };

/** Seconds we wait for a server before calling the attempt failed; the worker retries later. */
const TIMEOUT_MS = 30_000;

export async function sendEmail(smtp: SmtpSettings, email: OutgoingEmail): Promise<EmailResult> {
  const transport = nodemailer.createTransport({
    host: smtp.host,
    port: smtp.port,
    secure: smtp.secure,
    ...(smtp.user ? { auth: { user: smtp.user, pass: smtp.password ?? '' } } : {}),
    connectionTimeout: TIMEOUT_MS,
    greetingTimeout: TIMEOUT_MS,
    socketTimeout: TIMEOUT_MS,
  });
  try {
    const info = await transport.sendMail({
      from: email.from,
      to: email.to.name ? { name: email.to.name, address: email.to.address } : email.to.address,
      cc: [...email.cc],
      subject: email.subject,
      text: email.text,
      ...(email.html ? { html: email.html } : {}),
      messageId: email.messageId,
      attachments: email.attachments.map((attachment) => ({
        filename: attachment.filename,
        contentType: attachment.contentType,
        content: Buffer.from(attachment.content),
      })),
    });
    const rejected = [info.rejected].flat().map(String);
    if (rejected.length > 0) throw new Error(`The server refused: ${rejected.join(', ')}`);
    return { messageId: info.messageId, response: info.response };
  } finally {
    transport.close();
  }
}

/** A Message-ID for one outbox message, in the sender's domain when the From address has one. */
export function messageIdFor(outboxId: string, from: string): string {
  const domain = /@([A-Za-z0-9.-]+)>?\s*$/.exec(from)?.[1] ?? 'huikuan.invalid';
  return `<${outboxId}@${domain}>`;
}

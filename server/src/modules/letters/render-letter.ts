import {
  buildLetterDocument,
  letterDocumentToHtml,
  letterDocumentToText,
  type CalendarDate,
  type LetterDocument,
  type LetterKind,
  type LetterLocale,
  type LetterTemplate,
  type Money,
  letterTotals,
} from '@huikuan/core';
import type { Tx } from '../../platform/db';
import { renderLetterPdf, type PdfSeal } from '../../platform/pdf';
import { loadLetterData, type LetterDataInput } from './letter-data';
import { effectiveTemplate } from './templates';

export type RenderLetterInput = {
  tenantId: string;
  kind: LetterKind;
  customerId: string;
  invoiceIds?: readonly string[] | undefined;
  asOf: CalendarDate;
  locale: LetterLocale;
  periodFrom?: CalendarDate | undefined;
};

export type RenderedLetter = {
  pdf: Uint8Array;
  html: string;
  text: string;
  title: string;
};

/** What the archive and the e-mail need besides the outputs. */
export type RenderedLetterDetail = RenderedLetter & {
  document: LetterDocument;
  invoiceIds: string[];
  totals: Money[];
  /** 对账单: the period's first day as used. */
  periodFrom: CalendarDate | null;
  customerCode: string;
};

function sealDataUri(seal: PdfSeal | null): string | null {
  return seal ? `data:${seal.contentType};base64,${Buffer.from(seal.bytes).toString('base64')}` : null;
}

export type LetterModel = Omit<RenderedLetterDetail, 'pdf' | 'title'> & { seal: PdfSeal | null };

/** The model without the PDF: for previews, which must answer fast. */
export async function letterModel(
  tx: Tx,
  input: LetterDataInput,
  template?: LetterTemplate,
): Promise<LetterModel> {
  const loaded = await loadLetterData(tx, input);
  const wording = template ?? (await effectiveTemplate(tx, input.tenantId, input.kind, input.locale));
  const document = buildLetterDocument(wording, loaded.data);
  return {
    document,
    html: letterDocumentToHtml(document, { sealDataUri: sealDataUri(loaded.seal) }),
    text: letterDocumentToText(document),
    invoiceIds: loaded.invoiceIds,
    seal: loaded.seal,
    totals: letterTotals(loaded.data),
    periodFrom: loaded.data.period?.from ?? null,
    customerCode: loaded.data.customer.code,
  };
}

export async function renderLetterDetail(
  tx: Tx,
  input: RenderLetterInput & { isChasedOnly?: boolean },
): Promise<RenderedLetterDetail> {
  const model = await letterModel(tx, input);
  const pdf = await renderLetterPdf(model.document, model.seal);
  return {
    pdf: new Uint8Array(pdf),
    html: model.html,
    text: model.text,
    title: model.document.title,
    document: model.document,
    invoiceIds: model.invoiceIds,
    totals: model.totals,
    periodFrom: model.periodFrom,
    customerCode: model.customerCode,
  };
}

/**
 * The letter module's one rendering entry point for other modules: the organization's wording over the ledger's
 * figures as of a date, as PDF (what is sent and archived), HTML (the preview) and text (the e-mail body).
 * It reads only; archiving and sending are the caller's decision.
 */
export async function renderLetter(tx: Tx, input: RenderLetterInput): Promise<RenderedLetter> {
  const { pdf, html, text, title } = await renderLetterDetail(tx, input);
  return { pdf, html, text, title };
}

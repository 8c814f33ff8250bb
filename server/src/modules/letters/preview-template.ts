import {
  buildLetterDocument,
  letterDocumentToHtml,
  letterDocumentToText,
  sampleLetterData,
} from '@huikuan/core';
import type { LetterPreview } from '@huikuan/core/contracts';
import type { z } from 'zod';
import type { templatePreviewRequestSchema } from '@huikuan/core/contracts';
import type { AppDeps } from '../../platform/deps';
import { renderLetterPdf } from '../../platform/pdf';
import type { Actor } from '../../platform/request-context';
import { organizationToday } from '../contracts/ledger-input';
import { visibleCustomerOrThrow } from '../customers/customer-access';
import { letterSender } from './letterhead';
import { letterModel } from './render-letter';

export type TemplatePreviewInput = z.output<typeof templatePreviewRequestSchema>;

/**
 * The template editor's preview of unsaved wording: over a customer's real figures when one is chosen (within the
 * editor's record scope), otherwise over sample figures, with the organization's letterhead and seal either way.
 */
async function previewModel(deps: AppDeps, actor: Actor, input: TemplatePreviewInput) {
  return deps.db.tenant(actor.tenantId, async (tx) => {
    const asOf = input.asOf ?? (await organizationToday(tx, actor.tenantId, deps.clock));
    if (input.customerId) {
      await visibleCustomerOrThrow(tx, actor, input.customerId);
      const model = await letterModel(
        tx,
        {
          tenantId: actor.tenantId,
          kind: input.kind,
          customerId: input.customerId,
          locale: input.locale,
          asOf,
        },
        input.template,
      );
      return { document: model.document, html: model.html, text: model.text, seal: model.seal };
    }
    const { company, seal } = await letterSender(tx, actor.tenantId);
    const data = sampleLetterData(input.kind, input.locale, company, asOf, seal !== null);
    const document = buildLetterDocument(input.template, data);
    const sealDataUri = seal
      ? `data:${seal.contentType};base64,${Buffer.from(seal.bytes).toString('base64')}`
      : null;
    return {
      document,
      html: letterDocumentToHtml(document, { sealDataUri }),
      text: letterDocumentToText(document),
      seal,
    };
  });
}

export async function previewTemplate(
  deps: AppDeps,
  actor: Actor,
  input: TemplatePreviewInput,
): Promise<LetterPreview> {
  const model = await previewModel(deps, actor, input);
  return { title: model.document.title, html: model.html, text: model.text };
}

export async function previewTemplatePdf(
  deps: AppDeps,
  actor: Actor,
  input: TemplatePreviewInput,
): Promise<Buffer> {
  const model = await previewModel(deps, actor, input);
  return renderLetterPdf(model.document, model.seal);
}

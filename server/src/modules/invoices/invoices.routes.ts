import {
  approvalRequestSchema,
  createCreditNoteRequestSchema,
  createInvoiceRequestRequestSchema,
  createInvoiceRequestSchema,
  creditNoteSchema,
  idParamSchema,
  invoiceDetailQuerySchema,
  invoiceDetailSchema,
  invoiceListQuerySchema,
  invoicePageSchema,
  invoiceRequestDecisionSchema,
  invoiceRequestListQuerySchema,
  invoiceRequestPageSchema,
  invoiceRequestSchema,
  issueInvoiceRequestSchema,
  okSchema,
  productConditionHistorySchema,
  productConditionRequestSchema,
  updateInvoiceRequestSchema,
  voidInvoiceRequestSchema,
  waiverRequestSchema,
} from '@huikuan/core/contracts';
import { exportFormatShape } from '../../platform/export';
import { exportListRoute } from '../customers/export-route';
import { invoiceExport, invoiceRequestExport } from './export-invoices';
import type { ApiApp } from '../../app';
import type { AppDeps } from '../../platform/deps';
import { idempotencyKeyOf } from '../../platform/idempotency';
import { requireActor } from '../../platform/request-context';
import { registerApprovalEffect } from '../approvals/approval-effects';
import { registerAttachmentRoutes } from '../customers/attachment-routes';
import { createInvoice } from './create-invoice';
import { createCreditNote, postApprovedCreditNote, rejectPendingCreditNote } from './credit-notes';
import { getInvoice } from './get-invoice';
import { visibleInvoiceOrThrow } from './invoice-access';
import {
  createInvoiceRequest,
  decideInvoiceRequest,
  getInvoiceRequest,
  listInvoiceRequests,
} from './invoice-requests';
import { issueInvoice } from './issue-invoice';
import { listInvoices } from './list-invoices';
import { deleteDraftInvoice, updateInvoice } from './update-invoice';
import { voidInvoice } from './void-invoice';
import { postApprovedWaiver, requestWaiver } from './waivers';
import { getProductCondition, recordProductCondition } from './product-condition';

/** What approving a credit note or a waiver does; registered when the app is built. */
function registerInvoiceApprovalEffects(deps: AppDeps): void {
  registerApprovalEffect('credit_note', {
    onApproved: (tx, actor, request) => postApprovedCreditNote(deps, tx, actor, request.subject_id),
    onRejected: (tx, actor, request) => rejectPendingCreditNote(tx, actor, request.subject_id),
  });
  registerApprovalEffect('discount_waiver', {
    onApproved: (tx, actor, request) => postApprovedWaiver(deps, tx, actor, request),
  });
}

export function registerInvoicesRoutes(app: ApiApp, deps: AppDeps): void {
  registerInvoiceApprovalEffects(deps);
  registerInvoiceCrudRoutes(app, deps);
  registerProductConditionRoutes(app, deps);
  registerInvoicePostingRoutes(app, deps);
  registerInvoiceAttachmentRoutes(app, deps);
  registerInvoiceRequestRoutes(app, deps);
}

function registerInvoiceCrudRoutes(app: ApiApp, deps: AppDeps): void {
  const tags = ['invoices'];
  app.get(
    '/invoices/export',
    {
      schema: {
        tags: ['exports'],
        querystring: invoiceListQuerySchema.omit({ cursor: true, limit: true }).extend(exportFormatShape),
      },
    },
    (request, reply) =>
      exportListRoute(deps, request, reply, 'records.read', invoiceExport(deps), request.query),
  );
  app.get(
    '/invoices',
    { schema: { tags, querystring: invoiceListQuerySchema, response: { 200: invoicePageSchema } } },
    (request) => listInvoices(deps, requireActor(request, 'records.read'), request.query),
  );
  app.post(
    '/invoices',
    { schema: { tags, body: createInvoiceRequestSchema, response: { 201: invoiceDetailSchema } } },
    async (request, reply) =>
      reply.status(201).send(await createInvoice(deps, requireActor(request, 'records.write'), request.body)),
  );
  app.get(
    '/invoices/:id',
    {
      schema: {
        tags,
        params: idParamSchema,
        querystring: invoiceDetailQuerySchema,
        response: { 200: invoiceDetailSchema },
      },
    },
    (request) =>
      getInvoice(deps, requireActor(request, 'records.read'), request.params.id, request.query.asOf),
  );
  app.patch(
    '/invoices/:id',
    {
      schema: {
        tags,
        params: idParamSchema,
        body: updateInvoiceRequestSchema,
        response: { 200: invoiceDetailSchema },
      },
    },
    (request) => updateInvoice(deps, requireActor(request, 'records.write'), request.params.id, request.body),
  );
  app.delete(
    '/invoices/:id',
    { schema: { tags, params: idParamSchema, response: { 200: okSchema } } },
    async (request) => {
      await deleteDraftInvoice(deps, requireActor(request, 'records.write'), request.params.id);
      return { ok: true as const };
    },
  );
}

/** 正常/不正常: an assessment of the debt, not of the invoice, so it may change after issuing (append-only). */
function registerProductConditionRoutes(app: ApiApp, deps: AppDeps): void {
  const tags = ['invoices'];
  app.get(
    '/invoices/:id/product-condition',
    { schema: { tags, params: idParamSchema, response: { 200: productConditionHistorySchema } } },
    (request) => getProductCondition(deps, requireActor(request, 'records.read'), request.params.id),
  );
  app.post(
    '/invoices/:id/product-condition',
    {
      schema: {
        tags,
        params: idParamSchema,
        body: productConditionRequestSchema,
        response: { 200: productConditionHistorySchema },
      },
    },
    (request) =>
      recordProductCondition(deps, requireActor(request, 'records.write'), request.params.id, request.body),
  );
}

/** Issuing, voiding and credit notes move money: each needs an Idempotency-Key header. */
function registerInvoicePostingRoutes(app: ApiApp, deps: AppDeps): void {
  const tags = ['invoices'];
  app.post(
    '/invoices/:id/issue',
    {
      schema: {
        tags,
        params: idParamSchema,
        body: issueInvoiceRequestSchema,
        response: { 200: invoiceDetailSchema },
      },
    },
    (request) =>
      issueInvoice(deps, requireActor(request, 'records.write'), request.params.id, request.body, () =>
        idempotencyKeyOf(request),
      ),
  );
  app.post(
    '/invoices/:id/void',
    {
      schema: {
        tags,
        params: idParamSchema,
        body: voidInvoiceRequestSchema,
        response: { 200: invoiceDetailSchema },
      },
    },
    (request) =>
      voidInvoice(deps, requireActor(request, 'records.write'), request.params.id, request.body, () =>
        idempotencyKeyOf(request),
      ),
  );
  app.post(
    '/invoices/:id/credit-notes',
    {
      schema: {
        tags,
        params: idParamSchema,
        body: createCreditNoteRequestSchema,
        response: { 201: creditNoteSchema },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(
          await createCreditNote(
            deps,
            requireActor(request, 'records.write'),
            request.params.id,
            request.body,
            () => idempotencyKeyOf(request),
          ),
        ),
  );
  app.post(
    '/invoices/:id/waivers',
    {
      schema: {
        tags,
        params: idParamSchema,
        body: waiverRequestSchema,
        response: { 201: approvalRequestSchema },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(
          await requestWaiver(deps, requireActor(request, 'records.write'), request.params.id, request.body),
        ),
  );
}

function registerInvoiceAttachmentRoutes(app: ApiApp, deps: AppDeps): void {
  // 签收单 (sign-off documents) and other evidence; allowed at any status, as evidence arrives after issuing.
  registerAttachmentRoutes(app, deps, {
    path: '/invoices',
    tags: ['invoices'],
    entityType: 'invoice',
    defaultKind: 'sign_off',
    assertVisible: visibleInvoiceOrThrow,
  });
}

function registerInvoiceRequestRoutes(app: ApiApp, deps: AppDeps): void {
  const tags = ['invoice-requests'];
  app.get(
    '/invoice-requests/export',
    {
      schema: {
        tags: ['exports'],
        querystring: invoiceRequestListQuerySchema
          .omit({ cursor: true, limit: true })
          .extend(exportFormatShape),
      },
    },
    (request, reply) =>
      exportListRoute(deps, request, reply, 'records.read', invoiceRequestExport(deps), request.query),
  );
  app.get(
    '/invoice-requests',
    {
      schema: {
        tags,
        querystring: invoiceRequestListQuerySchema,
        response: { 200: invoiceRequestPageSchema },
      },
    },
    (request) => listInvoiceRequests(deps, requireActor(request, 'records.read'), request.query),
  );
  app.post(
    '/invoice-requests',
    { schema: { tags, body: createInvoiceRequestRequestSchema, response: { 201: invoiceRequestSchema } } },
    async (request, reply) =>
      reply
        .status(201)
        .send(await createInvoiceRequest(deps, requireActor(request, 'records.write'), request.body)),
  );
  app.get(
    '/invoice-requests/:id',
    { schema: { tags, params: idParamSchema, response: { 200: invoiceRequestSchema } } },
    (request) => getInvoiceRequest(deps, requireActor(request, 'records.read'), request.params.id),
  );
  app.post(
    '/invoice-requests/:id/decision',
    {
      schema: {
        tags,
        params: idParamSchema,
        body: invoiceRequestDecisionSchema,
        response: { 200: invoiceRequestSchema },
      },
    },
    (request) =>
      decideInvoiceRequest(deps, requireActor(request, 'records.write'), request.params.id, request.body),
  );
}

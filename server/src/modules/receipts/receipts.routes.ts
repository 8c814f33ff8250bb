import {
  allocateReceiptRequestSchema,
  approvalRequestSchema,
  asOfQuerySchema,
  autoAllocateRequestSchema,
  claimListQuerySchema,
  claimPageSchema,
  claimSchema,
  confirmClaimRequestSchema,
  createClaimRequestSchema,
  createReceiptRequestSchema,
  customerBalanceListQuerySchema,
  customerBalancePageSchema,
  customerBalanceSchema,
  customerLedgerQuerySchema,
  customerLedgerSchema,
  goodsSettlementRequestSchema,
  idParamSchema,
  offsetRequestSchema,
  okSchema,
  receiptDetailSchema,
  receiptListQuerySchema,
  receiptPageSchema,
  rejectClaimRequestSchema,
  reverseAllocationRequestSchema,
  reverseReceiptRequestSchema,
  updateReceiptRequestSchema,
} from '@huikuan/core/contracts';
import { exportFormatShape } from '../../platform/export';
import { exportListRoute } from '../customers/export-route';
import { receiptExport, claimExport } from './export-receipts';
import type { ApiApp } from '../../app';
import { receiptDetailOrThrow } from './receipt-view';
import { registerAttachmentRoutes } from '../customers/attachment-routes';
import type { AppDeps } from '../../platform/deps';
import { idempotencyKeyOf } from '../../platform/idempotency';
import { requireActor } from '../../platform/request-context';
import { allocateReceipt, autoAllocateReceipt } from './allocate';
import { confirmClaim, createClaim, getClaim, listClaims, rejectClaim } from './claims';
import { getCustomerBalance, listCustomerBalances } from './customer-balances';
import { customerLedger } from './customer-ledger';
import { getReceipt, listReceipts } from './list-receipts';
import { confirmReceipt, createReceipt, deleteReceipt, updateReceipt } from './record-receipt';
import { reverseAllocation, reverseReceipt } from './reversals';
import { registerSettlementEffects, requestSettlement } from './settlements';

const READ = 'records.read';
const WRITE = 'records.write';

function registerReceiptRoutes(app: ApiApp, deps: AppDeps): void {
  const tags = ['receipts'];
  app.get(
    '/receipts/export',
    {
      schema: {
        tags: ['exports'],
        querystring: receiptListQuerySchema.omit({ cursor: true, limit: true }).extend(exportFormatShape),
      },
    },
    (request, reply) =>
      exportListRoute(deps, request, reply, 'records.read', receiptExport(deps), request.query),
  );
  app.get(
    '/receipts',
    { schema: { tags, querystring: receiptListQuerySchema, response: { 200: receiptPageSchema } } },
    (request) => listReceipts(deps, requireActor(request, READ), request.query),
  );
  app.post(
    '/receipts',
    { schema: { tags, body: createReceiptRequestSchema, response: { 201: receiptDetailSchema } } },
    async (request, reply) => {
      const actor = requireActor(request, WRITE);
      const created = await createReceipt(deps, actor, request.body, idempotencyKeyOf(request));
      return reply.status(201).send(created);
    },
  );
  app.get(
    '/receipts/:id',
    { schema: { tags, params: idParamSchema, response: { 200: receiptDetailSchema } } },
    (request) => getReceipt(deps, requireActor(request, READ), request.params.id),
  );
  app.patch(
    '/receipts/:id',
    {
      schema: {
        tags,
        params: idParamSchema,
        body: updateReceiptRequestSchema,
        response: { 200: receiptDetailSchema },
      },
    },
    (request) => updateReceipt(deps, requireActor(request, WRITE), request.params.id, request.body),
  );
  app.delete(
    '/receipts/:id',
    { schema: { tags, params: idParamSchema, response: { 200: okSchema } } },
    async (request) => {
      await deleteReceipt(deps, requireActor(request, WRITE), request.params.id);
      return { ok: true as const };
    },
  );
  app.post(
    '/receipts/:id/confirm',
    { schema: { tags, params: idParamSchema, response: { 200: receiptDetailSchema } } },
    (request) => {
      const actor = requireActor(request, WRITE);
      return confirmReceipt(deps, actor, request.params.id, idempotencyKeyOf(request));
    },
  );
  app.post(
    '/receipts/:id/reverse',
    {
      schema: {
        tags,
        params: idParamSchema,
        body: reverseReceiptRequestSchema,
        response: { 200: receiptDetailSchema },
      },
    },
    (request) => {
      const actor = requireActor(request, WRITE);
      return reverseReceipt(deps, actor, request.params.id, request.body, idempotencyKeyOf(request));
    },
  );
}

function registerAllocationRoutes(app: ApiApp, deps: AppDeps): void {
  const tags = ['allocations'];
  app.post(
    '/receipts/:id/allocations',
    {
      schema: {
        tags,
        params: idParamSchema,
        body: allocateReceiptRequestSchema,
        response: { 200: receiptDetailSchema },
      },
    },
    (request) => {
      const actor = requireActor(request, WRITE);
      return allocateReceipt(deps, actor, request.params.id, request.body, idempotencyKeyOf(request));
    },
  );
  app.post(
    '/receipts/:id/auto-allocate',
    {
      schema: {
        tags,
        params: idParamSchema,
        body: autoAllocateRequestSchema,
        response: { 200: receiptDetailSchema },
      },
    },
    (request) => {
      const actor = requireActor(request, WRITE);
      return autoAllocateReceipt(deps, actor, request.params.id, request.body, idempotencyKeyOf(request));
    },
  );
  app.post(
    '/allocations/:id/reverse',
    {
      schema: {
        tags,
        params: idParamSchema,
        body: reverseAllocationRequestSchema,
        response: { 200: receiptDetailSchema },
      },
    },
    (request) => {
      const actor = requireActor(request, WRITE);
      return reverseAllocation(deps, actor, request.params.id, request.body, idempotencyKeyOf(request));
    },
  );
}

function registerClaimRoutes(app: ApiApp, deps: AppDeps): void {
  const tags = ['claims'];
  app.post(
    '/receipts/:id/claims',
    {
      schema: { tags, params: idParamSchema, body: createClaimRequestSchema, response: { 201: claimSchema } },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await createClaim(deps, requireActor(request, WRITE), request.params.id, request.body)),
  );
  app.get(
    '/receipt-claims/export',
    {
      schema: {
        tags: ['exports'],
        querystring: claimListQuerySchema.omit({ cursor: true, limit: true }).extend(exportFormatShape),
      },
    },
    (request, reply) =>
      exportListRoute(deps, request, reply, 'records.read', claimExport(deps), request.query),
  );
  app.get(
    '/receipt-claims',
    { schema: { tags, querystring: claimListQuerySchema, response: { 200: claimPageSchema } } },
    (request) => listClaims(deps, requireActor(request, READ), request.query),
  );
  app.get(
    '/receipt-claims/:id',
    { schema: { tags, params: idParamSchema, response: { 200: claimSchema } } },
    (request) => getClaim(deps, requireActor(request, READ), request.params.id),
  );
  app.post(
    '/receipt-claims/:id/confirm',
    {
      schema: {
        tags,
        params: idParamSchema,
        body: confirmClaimRequestSchema,
        response: { 200: claimSchema },
      },
    },
    (request) => {
      const actor = requireActor(request, WRITE);
      return confirmClaim(deps, actor, request.params.id, request.body, idempotencyKeyOf(request));
    },
  );
  app.post(
    '/receipt-claims/:id/reject',
    {
      schema: { tags, params: idParamSchema, body: rejectClaimRequestSchema, response: { 200: claimSchema } },
    },
    (request) => rejectClaim(deps, requireActor(request, WRITE), request.params.id, request.body),
  );
}

function registerBalanceRoutes(app: ApiApp, deps: AppDeps): void {
  const tags = ['balances'];
  app.get(
    '/balances/customers',
    {
      schema: {
        tags,
        querystring: customerBalanceListQuerySchema,
        response: { 200: customerBalancePageSchema },
      },
    },
    (request) => listCustomerBalances(deps, requireActor(request, READ), request.query),
  );
  app.get(
    '/customers/:id/balance',
    {
      schema: {
        tags,
        params: idParamSchema,
        querystring: asOfQuerySchema,
        response: { 200: customerBalanceSchema },
      },
    },
    (request) => getCustomerBalance(deps, requireActor(request, READ), request.params.id, request.query.asOf),
  );
  app.get(
    '/customers/:id/ledger',
    {
      schema: {
        tags,
        params: idParamSchema,
        querystring: customerLedgerQuerySchema,
        response: { 200: customerLedgerSchema },
      },
    },
    (request) => customerLedger(deps, requireActor(request, READ), request.params.id, request.query),
  );
}

function registerSettlementRoutes(app: ApiApp, deps: AppDeps): void {
  const tags = ['approvals'];
  app.post(
    '/invoices/:id/offset-requests',
    {
      schema: {
        tags,
        params: idParamSchema,
        body: offsetRequestSchema,
        response: { 201: approvalRequestSchema },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request, WRITE);
      return reply
        .status(201)
        .send(await requestSettlement(deps, actor, request.params.id, 'offset', request.body));
    },
  );
  app.post(
    '/invoices/:id/goods-settlement-requests',
    {
      schema: {
        tags,
        params: idParamSchema,
        body: goodsSettlementRequestSchema,
        response: { 201: approvalRequestSchema },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request, WRITE);
      const created = await requestSettlement(
        deps,
        actor,
        request.params.id,
        'goods_settlement',
        request.body,
      );
      return reply.status(201).send(created);
    },
  );
  registerSettlementEffects(deps);
}

/** Receipts (回款), allocation (核销), claims (回款认领), balances as of a date and the customer ledger. */
export function registerReceiptsRoutes(app: ApiApp, deps: AppDeps): void {
  registerReceiptRoutes(app, deps);
  registerAllocationRoutes(app, deps);
  registerClaimRoutes(app, deps);
  registerBalanceRoutes(app, deps);
  registerSettlementRoutes(app, deps);
  // Bank slips (回单), remittance advice and other evidence of a payment.
  registerAttachmentRoutes(app, deps, {
    path: '/receipts',
    tags: ['receipts'],
    entityType: 'receipt',
    defaultKind: 'remittance',
    assertVisible: receiptDetailOrThrow,
  });
}

import {
  attachmentListSchema,
  attachmentParamSchema,
  attachmentSchema,
  bankAccountListSchema,
  bankAccountParamSchema,
  bankAccountSchema,
  contactListSchema,
  contactParamSchema,
  contactSchema,
  createBankAccountRequestSchema,
  createContactRequestSchema,
  createCustomerRequestSchema,
  createLitigationRequestSchema,
  customerListQuerySchema,
  customerPageSchema,
  customerSchema,
  idParamSchema,
  litigationListSchema,
  litigationSchema,
  MAX_ATTACHMENT_BYTES,
  okSchema,
  updateContactRequestSchema,
  updateCustomerRequestSchema,
  uploadAttachmentRequestSchema,
} from '@huikuan/core/contracts';
import { exportFormatShape } from '../../platform/export';
import { exportListRoute } from './export-route';
import { customerExport } from './export-customers';
import type { ApiApp } from '../../app';
import type { AppDeps } from '../../platform/deps';
import { requireActor } from '../../platform/request-context';
import { contentDisposition } from './attachments';
import { addBankAccount, listBankAccounts, removeBankAccount } from './bank-accounts';
import { addContact, listContacts, removeContact, updateContact } from './contacts';
import { createCustomer } from './create-customer';
import {
  addCustomerAttachment,
  customerAttachmentContent,
  listCustomerAttachments,
} from './customer-attachments';
import { addLitigation, listLitigations } from './litigations';
import { getCustomer, listCustomers } from './list-customers';
import { updateCustomer } from './update-customer';

/** Base64 grows a file by a third; the JSON around it is small. */
const ATTACHMENT_BODY_LIMIT_BYTES = Math.ceil((MAX_ATTACHMENT_BYTES * 4) / 3) + 64 * 1024;

export function registerCustomersRoutes(app: ApiApp, deps: AppDeps): void {
  registerCustomerRecordRoutes(app, deps);
  registerContactRoutes(app, deps);
  registerCreditFileRoutes(app, deps);
  registerAttachmentRoutes(app, deps);
}

function registerCustomerRecordRoutes(app: ApiApp, deps: AppDeps): void {
  const tags = ['customers'];
  app.get(
    '/customers/export',
    {
      schema: {
        tags: ['exports'],
        querystring: customerListQuerySchema.omit({ cursor: true, limit: true }).extend(exportFormatShape),
      },
    },
    (request, reply) =>
      exportListRoute(deps, request, reply, 'records.read', customerExport(deps), request.query),
  );
  app.get(
    '/customers',
    { schema: { tags, querystring: customerListQuerySchema, response: { 200: customerPageSchema } } },
    (request) => listCustomers(deps, requireActor(request, 'records.read'), request.query),
  );
  app.post(
    '/customers',
    { schema: { tags, body: createCustomerRequestSchema, response: { 201: customerSchema } } },
    async (request, reply) =>
      reply
        .status(201)
        .send(await createCustomer(deps, requireActor(request, 'records.write'), request.body)),
  );
  app.get(
    '/customers/:id',
    { schema: { tags, params: idParamSchema, response: { 200: customerSchema } } },
    (request) => getCustomer(deps, requireActor(request, 'records.read'), request.params.id),
  );
  app.patch(
    '/customers/:id',
    {
      schema: {
        tags,
        params: idParamSchema,
        body: updateCustomerRequestSchema,
        response: { 200: customerSchema },
      },
    },
    (request) =>
      updateCustomer(deps, requireActor(request, 'records.write'), request.params.id, request.body),
  );
}

function registerContactRoutes(app: ApiApp, deps: AppDeps): void {
  const tags = ['customers'];
  app.get(
    '/customers/:id/contacts',
    { schema: { tags, params: idParamSchema, response: { 200: contactListSchema } } },
    (request) => listContacts(deps, requireActor(request, 'records.read'), request.params.id),
  );
  app.post(
    '/customers/:id/contacts',
    {
      schema: {
        tags,
        params: idParamSchema,
        body: createContactRequestSchema,
        response: { 201: contactSchema },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(
          await addContact(deps, requireActor(request, 'records.write'), request.params.id, request.body),
        ),
  );
  app.patch(
    '/customers/:id/contacts/:contactId',
    {
      schema: {
        tags,
        params: contactParamSchema,
        body: updateContactRequestSchema,
        response: { 200: contactSchema },
      },
    },
    (request) =>
      updateContact(
        deps,
        requireActor(request, 'records.write'),
        { customerId: request.params.id, contactId: request.params.contactId },
        request.body,
      ),
  );
  app.delete(
    '/customers/:id/contacts/:contactId',
    { schema: { tags, params: contactParamSchema, response: { 200: okSchema } } },
    async (request) => {
      await removeContact(deps, requireActor(request, 'records.write'), {
        customerId: request.params.id,
        contactId: request.params.contactId,
      });
      return { ok: true as const };
    },
  );
}

function registerCreditFileRoutes(app: ApiApp, deps: AppDeps): void {
  const tags = ['customers'];
  app.get(
    '/customers/:id/bank-accounts',
    { schema: { tags, params: idParamSchema, response: { 200: bankAccountListSchema } } },
    (request) => listBankAccounts(deps, requireActor(request, 'records.read'), request.params.id),
  );
  app.post(
    '/customers/:id/bank-accounts',
    {
      schema: {
        tags,
        params: idParamSchema,
        body: createBankAccountRequestSchema,
        response: { 201: bankAccountSchema },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(
          await addBankAccount(deps, requireActor(request, 'records.write'), request.params.id, request.body),
        ),
  );
  app.delete(
    '/customers/:id/bank-accounts/:accountId',
    { schema: { tags, params: bankAccountParamSchema, response: { 200: okSchema } } },
    async (request) => {
      await removeBankAccount(deps, requireActor(request, 'records.write'), {
        customerId: request.params.id,
        accountId: request.params.accountId,
      });
      return { ok: true as const };
    },
  );
  app.get(
    '/customers/:id/litigations',
    { schema: { tags, params: idParamSchema, response: { 200: litigationListSchema } } },
    (request) => listLitigations(deps, requireActor(request, 'records.read'), request.params.id),
  );
  app.post(
    '/customers/:id/litigations',
    {
      schema: {
        tags,
        params: idParamSchema,
        body: createLitigationRequestSchema,
        response: { 201: litigationSchema },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(
          await addLitigation(deps, requireActor(request, 'records.write'), request.params.id, request.body),
        ),
  );
}

function registerAttachmentRoutes(app: ApiApp, deps: AppDeps): void {
  const tags = ['customers'];
  app.get(
    '/customers/:id/attachments',
    { schema: { tags, params: idParamSchema, response: { 200: attachmentListSchema } } },
    (request) => listCustomerAttachments(deps, requireActor(request, 'records.read'), request.params.id),
  );
  app.post(
    '/customers/:id/attachments',
    {
      bodyLimit: ATTACHMENT_BODY_LIMIT_BYTES,
      schema: {
        tags,
        params: idParamSchema,
        body: uploadAttachmentRequestSchema,
        response: { 201: attachmentSchema },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(
          await addCustomerAttachment(
            deps,
            requireActor(request, 'records.write'),
            request.params.id,
            request.body,
          ),
        ),
  );
  app.get(
    '/customers/:id/attachments/:attachmentId/content',
    { schema: { tags, params: attachmentParamSchema } },
    async (request, reply) => {
      const file = await customerAttachmentContent(deps, requireActor(request, 'records.read'), {
        customerId: request.params.id,
        attachmentId: request.params.attachmentId,
      });
      // Served as a download in a sandbox: an uploaded HTML file must never run as this site.
      return reply
        .type(file.contentType)
        .header('content-disposition', contentDisposition(file.fileName))
        .header('x-content-type-options', 'nosniff')
        .header('content-security-policy', "default-src 'none'; sandbox")
        .header('cache-control', 'private, no-store')
        .send(file.content);
    },
  );
}

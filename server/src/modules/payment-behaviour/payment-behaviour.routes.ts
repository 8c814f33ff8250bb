import {
  creditRatingOverrideRequestSchema,
  creditRatingPageSchema,
  creditRatingSchema,
  creditRatingsQuerySchema,
  idParamSchema,
  paymentBehaviourQuerySchema,
  paymentBehaviourSchema,
} from '@huikuan/core/contracts';
import type { ApiApp } from '../../app';
import type { AppDeps } from '../../platform/deps';
import { requireActor } from '../../platform/request-context';
import { getPaymentBehaviour } from './get-payment-behaviour';
import { listCreditRatings } from './list-credit-ratings';
import { clearCreditRatingOverride, setCreditRatingOverride } from './rating-overrides';

export function registerPaymentBehaviourRoutes(app: ApiApp, deps: AppDeps): void {
  const tags = ['payment behaviour'];
  app.get(
    '/customers/:id/payment-behaviour',
    {
      schema: {
        tags,
        params: idParamSchema,
        querystring: paymentBehaviourQuerySchema,
        response: { 200: paymentBehaviourSchema },
      },
    },
    (request) =>
      getPaymentBehaviour(deps, requireActor(request, 'records.read'), request.params.id, request.query),
  );
  app.put(
    '/customers/:id/credit-rating',
    {
      schema: {
        tags,
        params: idParamSchema,
        body: creditRatingOverrideRequestSchema,
        response: { 200: creditRatingSchema },
      },
    },
    (request) =>
      setCreditRatingOverride(deps, requireActor(request, 'records.write'), request.params.id, request.body),
  );
  app.delete(
    '/customers/:id/credit-rating',
    { schema: { tags, params: idParamSchema, response: { 200: creditRatingSchema } } },
    (request) => clearCreditRatingOverride(deps, requireActor(request, 'records.write'), request.params.id),
  );
  app.get(
    '/credit-ratings',
    { schema: { tags, querystring: creditRatingsQuerySchema, response: { 200: creditRatingPageSchema } } },
    (request) => listCreditRatings(deps, requireActor(request, 'records.read'), request.query),
  );
}

import {
  minorToDecimalString,
  type CalendarDate,
  type PaymentBehaviour,
  type PaymentMetrics,
} from '@huikuan/core';
import type { CreditRatingView, PaymentBehaviourView, PaymentMetricsView } from '@huikuan/core/contracts';
import type { CustomerRating } from './effective-ratings';

/** Domain values → the JSON contracts: money as exact decimal strings, instants as ISO text. */

export function ratingView(asOf: CalendarDate, rating: CustomerRating): CreditRatingView {
  const override = rating.override;
  return {
    customerId: rating.customerId,
    asOf,
    computed: rating.computed.rating,
    reasons: rating.computed.reasons,
    override:
      override === null
        ? null
        : {
            rating: override.rating,
            reason: override.reason,
            setAt: override.setAt.toISOString(),
            setByUserId: override.setByUserId,
            setByName: override.setByName,
          },
    effective: rating.effective,
  };
}

function metricsView(metrics: PaymentMetrics, currency: string): PaymentMetricsView {
  return {
    paid: minorToDecimalString(metrics.paidMinor, currency),
    paymentCount: metrics.paymentCount,
    paidInvoiceCount: metrics.paidInvoiceCount,
    avgDaysToPay: metrics.avgDaysToPay,
    avgDaysLate: metrics.avgDaysLate,
    shareLate: metrics.shareLate,
  };
}

export function behaviourView(
  customerId: string,
  behaviour: PaymentBehaviour,
  rating: CustomerRating,
): PaymentBehaviourView {
  return {
    customerId,
    asOf: behaviour.asOf,
    fromDate: behaviour.fromDate,
    months: behaviour.months,
    currencies: behaviour.currencies.map((entry) => {
      const largest = entry.openItems.largestOverdue;
      return {
        currency: entry.currency,
        metrics: metricsView(entry.metrics, entry.currency),
        trend: entry.trend.map((month) => ({ month: month.month, ...metricsView(month, entry.currency) })),
        open: minorToDecimalString(entry.openItems.openMinor, entry.currency),
        overdue: minorToDecimalString(entry.openItems.overdueMinor, entry.currency),
        oldestOverdueDays: entry.openItems.oldestOverdueDays,
        largestOverdue:
          largest === null
            ? null
            : {
                invoiceId: largest.invoiceId,
                number: largest.invoiceNumber,
                open: minorToDecimalString(largest.openMinor, entry.currency),
                dueDate: largest.dueDate,
                daysOverdue: largest.daysOverdue,
              },
      };
    }),
    brokenPromises: behaviour.brokenPromiseCount,
    rating: ratingView(behaviour.asOf, rating),
  };
}

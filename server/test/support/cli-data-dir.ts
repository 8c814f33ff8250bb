import { createOrganizationFromCli } from '../../src/cli/organization-commands';
import { openDatabase } from '../../src/platform/db';

/**
 * What the CLI report tests run against: an organization on a PGlite data directory with one customer (K-1 客户一)
 * and one issued invoice INV-1 of 1,000,000.07 CNY, dated 2026-01-05, due 2026-02-04. Written straight into the
 * tables, then the database is closed so the command under test opens the directory itself, as a user would.
 */
export async function seedReportDataDir(
  dataDir: string,
  organization: { name: string; slug: string },
): Promise<{ tenantId: string }> {
  const db = await openDatabase({ databaseUrl: null, dataDir });
  try {
    const org = await createOrganizationFromCli(db, {
      ...organization,
      baseCurrency: 'CNY',
      timezone: 'Asia/Shanghai',
      locale: 'zh-CN',
    });
    await db.tenant(org.tenantId, async (tx) => {
      const customer = await tx
        .insertInto('customers')
        .values({ tenant_id: org.tenantId, code: 'K-1', name: '客户一', currency: 'CNY' })
        .returning('id')
        .executeTakeFirstOrThrow();
      await tx
        .insertInto('invoices')
        .values({
          tenant_id: org.tenantId,
          customer_id: customer.id,
          number: 'INV-1',
          invoice_date: '2026-01-05',
          due_date: '2026-02-04',
          currency: 'CNY',
          subtotal_minor: 100_000_007n,
          tax_minor: 0n,
          total_minor: 100_000_007n,
          status: 'issued',
          issued_at: new Date(),
        })
        .execute();
    });
    return { tenantId: org.tenantId };
  } finally {
    await db.close();
  }
}

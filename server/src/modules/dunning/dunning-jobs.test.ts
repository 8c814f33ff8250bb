import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, signUp, type Client, type TestApp } from '../../../test/support/test-app';
import { registerJob, startJobQueue, type JobQueue } from '../../platform/jobs';
import { loadConfig } from '../../platform/config';
import { DAILY_RUN_JOB } from './dunning-jobs';

/**
 * The job queue on the engine under test (PGlite through pg-boss's fromPglite, or PostgreSQL): a registered job runs
 * once sent, and every organization gets its daily dunning run at 06:00 in its own time zone.
 */
let t: TestApp;
let admin: Client;
let queue: JobQueue | null = null;
const seen: string[] = [];

beforeAll(async () => {
  t = await createTestApp();
  admin = await signUp(t.app);
  registerJob<{ word?: string }>('test.echo', (data) => {
    seen.push(data.word ?? '');
    return Promise.resolve();
  });
}, 60_000);

afterAll(async () => {
  await queue?.stop();
  await t.close();
});

describe.runIf(process.env.HUIKUAN_TEST_ENGINE !== 'postgres')(
  'the job queue on the embedded database',
  () => {
    it('runs a sent job and schedules each organization’s daily run at 06:00 in its time zone', async () => {
      queue = await startJobQueue({
        db: t.db,
        clock: t.clock,
        config: loadConfig({}, { logLevel: 'silent' }),
        version: 'test',
      });
      await queue.send('test.echo', { word: '你好' });
      for (let attempt = 0; attempt < 100 && seen.length === 0; attempt += 1) {
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      expect(seen).toEqual(['你好']);
      const schedules = await queue.boss.getSchedules(DAILY_RUN_JOB);
      const mine = schedules.find((schedule) => schedule.key === admin.tenantId);
      expect(mine).toMatchObject({ cron: '0 6 * * *', data: { tenantId: admin.tenantId } });
    }, 60_000);
  },
);

import { StorageUnavailable } from '@userprofile/domain';
import { InMemoryUserProfileRepository } from '@userprofile/domain/testing';
import type { FastifyInstance } from 'fastify';
import type { LogRecorder } from '../testing/log-recorder';
import type { PhotoAccess } from '../testing/photo-access';
import { buildTestApp } from '../testing/test-app';

/** The app, logging into `log`, with every request's personal values noted before it is sent. */
async function recordingApp(
  log: LogRecorder,
  overrides: Parameters<typeof buildTestApp>[0] = {},
): Promise<{ app: FastifyInstance; photos: PhotoAccess }> {
  const { app, photos } = await buildTestApp(overrides, {}, log.logger);
  log.attach(app);
  return { app, photos };
}

/**
 * Requests built to put personal data in the log, recorded by the HTTP suite's `log`, whose check
 * covers them (http-suite.test.ts).
 */
export function logPrivacyTests(log: LogRecorder): void {
  describe('requests built to put personal data in the log', () => {
    class LeakyFailure extends InMemoryUserProfileRepository {
      constructor(private readonly failure: Error) {
        super();
      }
      override async get(): Promise<never> {
        throw this.failure;
      }
    }
    // What an SDK error can carry: the stored item of a failed condition.
    const item = {
      email: 'carried@example.com',
      firstName: 'Carried',
      phoneNumber: '+15550001111',
    };
    const withItem = (message: string) => Object.assign(new Error(message), { Item: item });

    it('keeps them out of 500 and 503 answers’ log lines, and of odd URLs', async () => {
      for (const failure of [
        withItem('condition failed for mallory@example.com'),
        new StorageUnavailable({ cause: withItem('throttled') }),
      ]) {
        const { app } = await recordingApp(log, { repository: new LeakyFailure(failure) });
        const res = await app.inject({ url: '/users/00000000-0000-4000-8000-000000000001' });
        expect(res.statusCode).toBeGreaterThanOrEqual(500);
        await app.close();
      }
      for (const value of [...Object.values(item), 'mallory@example.com']) log.sent.add(value);

      const { app } = await recordingApp(log);
      for (const url of [
        '/users/oscar@example.com',
        '/users/oscar%40example.com?email=oscar@example.com',
        '/nowhere/peggy@example.com?phone=+441234567899',
        '/users/%E0%A4%A?email=trent%40example.com',
      ]) {
        await app.inject({ url });
      }
      for (const value of ['oscar@example.com', 'peggy@example.com', '+441234567899'])
        log.sent.add(value);
      log.sent.add('trent@example.com');
      await app.close();
    });
  });
}

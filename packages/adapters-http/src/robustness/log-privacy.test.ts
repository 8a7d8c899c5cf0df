import { StorageUnavailable } from '@userprofile/domain';
import { InMemoryUserProfileRepository } from '@userprofile/domain/testing';
import type { FastifyInstance } from 'fastify';
import { describeHttpApi } from '../testing/http-api.suite';
import { tapInject, type Injected } from '../testing/inject-tap';
import type { PhotoAccess } from '../testing/photo-access';
import { buildTestApp } from '../testing/test-app';

/** Every line the apps below wrote, at the most talkative level. */
const lines: string[] = [];
/** Every personal value the requests below sent: e-mails, names, phone numbers, metadata. */
const sent = new Set<string>();
const logger = { level: 'trace', stream: { write: (line: string) => void lines.push(line) } };

const PERSONAL_FIELDS = new Set(['email', 'firstName', 'lastName', 'phoneNumber']);

function collect(value: unknown, personal: boolean): void {
  if (typeof value === 'string') {
    if (personal && value.trim().length >= 3) sent.add(value.trim());
  } else if (Array.isArray(value)) {
    for (const v of value) collect(v, personal);
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      collect(v, personal || PERSONAL_FIELDS.has(k) || k === 'metadata');
    }
  }
}

let requests = 0;

function record(options: Injected): void {
  requests++;
  const payload = options.payload;
  if (typeof payload === 'string') {
    try {
      collect(JSON.parse(payload), false);
    } catch {
      // not JSON: nothing personal the app could read from it
    }
  } else if (payload && !Buffer.isBuffer(payload)) {
    collect(payload, false);
  }
  const query = new URLSearchParams(options.url.split('?')[1] ?? '');
  collect(Object.fromEntries(query), false);
  collect(options.query ?? {}, false);
}

/** The app, with every request's personal values noted before it is sent. */
async function recordingApp(
  overrides: Parameters<typeof buildTestApp>[0] = {},
): Promise<{ app: FastifyInstance; photos: PhotoAccess }> {
  const { app, photos } = await buildTestApp(overrides, {}, logger);
  tapInject(app, { before: record });
  return { app, photos };
}

describeHttpApi('the in-memory repository, logging at trace', recordingApp);

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
  const item = { email: 'carried@example.com', firstName: 'Carried', phoneNumber: '+15550001111' };
  const withItem = (message: string) => Object.assign(new Error(message), { Item: item });

  it('keeps them out of 500 and 503 answers’ log lines, and of odd URLs', async () => {
    for (const failure of [
      withItem('condition failed for mallory@example.com'),
      new StorageUnavailable({ cause: withItem('throttled') }),
    ]) {
      const { app } = await recordingApp({ repository: new LeakyFailure(failure) });
      const res = await app.inject({ url: '/users/00000000-0000-4000-8000-000000000001' });
      expect(res.statusCode).toBeGreaterThanOrEqual(500);
      await app.close();
    }
    for (const value of [...Object.values(item), 'mallory@example.com']) sent.add(value);

    const { app } = await recordingApp();
    for (const url of [
      '/users/oscar@example.com',
      '/users/oscar%40example.com?email=oscar@example.com',
      '/nowhere/peggy@example.com?phone=+441234567899',
      '/users/%E0%A4%A?email=trent%40example.com',
    ]) {
      await app.inject({ url });
    }
    for (const value of ['oscar@example.com', 'peggy@example.com', '+441234567899'])
      sent.add(value);
    sent.add('trent@example.com');
    await app.close();
  });
});

afterAll(() => {
  const log = lines.join('');
  // The suite really logged: a line per request at least, with what may stay.
  expect(requests).toBeGreaterThan(100);
  expect(lines.length).toBeGreaterThanOrEqual(requests);
  expect(log).toContain('"route":"/users/:userId"');
  expect(log).toMatch(/"reqId":"[0-9a-f-]{36}"/);
  expect(log).toMatch(/"res":\{"statusCode":201\},"responseTime":/);
  expect(sent.size).toBeGreaterThan(20);
  // As a word of its own ("Ada" is no leak inside a stack frame's "jestAdapterInit"), raw,
  // JSON-escaped or URL-encoded.
  const wordChar = /[\p{L}\p{N}]/u;
  const appears = (text: string) => {
    for (let at = log.indexOf(text); at >= 0; at = log.indexOf(text, at + 1)) {
      const before = log[at - 1] ?? ' ';
      const after = log[at + text.length] ?? ' ';
      if (!wordChar.test(before) && !wordChar.test(after)) return true;
    }
    return false;
  };
  const leaked = [...sent].filter(
    (value) =>
      appears(value) ||
      appears(JSON.stringify(value).slice(1, -1)) ||
      appears(encodeURIComponent(value)),
  );
  expect(leaked).toEqual([]);
  expect(log).not.toMatch(/@example|%40example/i);
});

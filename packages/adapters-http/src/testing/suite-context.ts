import type { UserProfile } from '@userprofile/domain';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { PhotoAccess } from './photo-access';

/** What each group of tests of the suite uses: the app of the current test, and a create. */
export interface SuiteContext {
  readonly app: FastifyInstance;
  /** The photo store behind the app, as a client and an auditor reach it. */
  readonly photos: PhotoAccess;
  create(body?: object): Promise<{ res: LightMyRequestResponse; profile: UserProfile }>;
}

/** Builds a fresh app on an empty store for one test; `dispose` cleans up. */
export type AppFactory = () => Promise<{
  app: FastifyInstance;
  photos: PhotoAccess;
  dispose?: () => Promise<void>;
}>;

/** A problem+json answer with this status and code, naming no stack; its body. */
export function expectProblem(res: LightMyRequestResponse, status: number, code: string) {
  expect(res.statusCode).toBe(status);
  expect(res.headers['content-type']).toBe('application/problem+json; charset=utf-8');
  const body = res.json() as Record<string, unknown>;
  expect(body).toMatchObject({
    status,
    code,
    type: expect.any(String),
    title: expect.any(String),
    detail: expect.any(String),
  });
  expect(JSON.stringify(body)).not.toMatch(/\bat .*\.(ts|js):\d+|stack/);
  return body;
}

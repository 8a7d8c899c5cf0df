import type { UserProfileRepository } from '@userprofile/domain';
import { InMemoryUserProfileRepository } from '@userprofile/domain/testing';
import type { FastifyInstance } from 'fastify';
import { buildApp, type BuildAppOptions } from '../app';
import { loadConfig } from '../config';
import { createContainer, type ContainerOverrides } from '../container';
import { openApiDocument } from '../http/openapi';
import { writeRateLimit } from '../http/rate-limit';

/** The real app on the in-memory repository (or another one given), ready for `app.inject`. */
export async function buildTestApp(
  overrides: ContainerOverrides = {},
  env: NodeJS.ProcessEnv = {},
  logger: BuildAppOptions['logger'] = false,
): Promise<{ app: FastifyInstance; repository: UserProfileRepository }> {
  const repository = overrides.repository ?? new InMemoryUserProfileRepository();
  const container = createContainer(loadConfig(env), { ...overrides, repository });
  const app = buildApp(container, { logger, extensions: [openApiDocument, writeRateLimit] });
  await app.ready();
  return { app, repository };
}

export const newUser = (n: number | string = 1) => ({
  email: `user${n}@example.com`,
  firstName: 'Ada',
  lastName: 'Lovelace',
});

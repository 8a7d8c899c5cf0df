import { DynamoUserProfileRepository } from '@userprofile/adapters-dynamo';
import type { UserProfileRepository } from '@userprofile/domain';
import { SharpImageProcessor } from '@userprofile/adapters-images';
import {
  InMemoryPhotoStore,
  InMemoryProfileSearch,
  InMemoryUserProfileRepository,
} from '@userprofile/domain/testing';
import type { FastifyInstance } from 'fastify';
import { buildApp, type BuildAppOptions } from '../app';
import { loadConfig } from '../config';
import { createContainer, type ContainerOverrides } from '../container';
import { openApiDocument } from '../http/openapi';
import { writeRateLimit } from '../http/rate-limit';
import { photoModule, type PhotoAdapters } from '../photo-module';
import { inMemoryPhotoAccess, type PhotoAccess } from './photo-access';

/**
 * The real app on the in-memory repository (or another one given), ready for `app.inject`; its
 * photos in memory (or as given, with `photoAccess`), processed by sharp.
 */
export async function buildTestApp(
  overrides: ContainerOverrides & { photos?: PhotoAdapters } = {},
  env: NodeJS.ProcessEnv = {},
  logger: BuildAppOptions['logger'] = false,
  photoAccess?: PhotoAccess,
): Promise<{ app: FastifyInstance; repository: UserProfileRepository; photos: PhotoAccess }> {
  const memory = overrides.repository ? undefined : new InMemoryUserProfileRepository();
  const repository = overrides.repository ?? memory!;
  // A DynamoDB repository is searched on its table; the in-memory one in memory.
  const search =
    overrides.search ??
    (memory
      ? new InMemoryProfileSearch(() => memory.all())
      : repository instanceof DynamoUserProfileRepository
        ? repository.profileSearch()
        : undefined);
  const config = loadConfig(env);
  const store = new InMemoryPhotoStore();
  const photos = overrides.photos ?? { store, processor: new SharpImageProcessor() };
  const container = createContainer(config, {
    ...overrides,
    repository,
    ...(search ? { search } : {}),
  });
  container.loadSync(photoModule(photos));
  const app = buildApp(container, { logger, extensions: [openApiDocument, writeRateLimit] });
  await app.ready();
  return {
    app,
    repository,
    photos: photoAccess ?? inMemoryPhotoAccess(store, config.photos.publicUrl),
  };
}

export const newUser = (n: number | string = 1) => ({
  email: `user${n}@example.com`,
  firstName: 'Ada',
  lastName: 'Lovelace',
});

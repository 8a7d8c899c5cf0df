// Prints the OpenAPI document the app serves at /openapi.json, for the given AUTH_MODE (none by
// default; jwt with a placeholder issuer). Used by the contract tests and to publish the document.
// Usage: node --import tsx scripts/openapi-document.ts [none|jwt]
import { buildApp } from '../src/app';
import { loadConfig } from '../src/config';
import { createContainer } from '../src/container';
import { openApiDocument } from '../src/http/openapi';
import { photoModule } from '../src/photo-module';
import { SharpImageProcessor } from '@userprofile/adapters-images';
import {
  InMemoryChangeEventStore,
  InMemoryPhotoStore,
  InMemoryProfileSearch,
  InMemoryUserProfileRepository,
  InMemoryWebhookRegistry,
} from '@userprofile/domain/testing';

async function main() {
  const mode = process.argv[2] ?? 'none';
  const env =
    mode === 'jwt'
      ? { AUTH_MODE: 'jwt', AUTH_ISSUER: 'https://issuer.example.com', AUTH_AUDIENCE: 'app' }
      : {};
  const repository = new InMemoryUserProfileRepository();
  const container = createContainer(loadConfig(env), {
    repository,
    search: new InMemoryProfileSearch(() => repository.all()),
    events: new InMemoryChangeEventStore(),
    webhooks: new InMemoryWebhookRegistry(),
  });
  // Every route is in the document, the photo routes and the change feed's too.
  container.loadSync(
    photoModule({ store: new InMemoryPhotoStore(), processor: new SharpImageProcessor() }),
  );
  const app = buildApp(container, { logger: false, extensions: [openApiDocument] });
  await app.ready();
  process.stdout.write(`${JSON.stringify(app.swagger(), null, 2)}\n`);
  await app.close();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

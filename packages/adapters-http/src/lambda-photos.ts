import { loadConfig } from './config';
import { createContainer } from './container';
import { lambdaHandler } from './lambda-handler';
import { photoAdapters } from './photo-adapters';
import { photoModule } from './photo-module';

const config = loadConfig();
const container = createContainer(config);
container.loadSync(photoModule(photoAdapters(config)));

/** The Lambda of the routes that touch photo storage: photo upload, commit, removal, and profile deletion. */
export const handler = lambdaHandler(container);

import { loadConfig } from './config';
import { createContainer } from './container';
import { lambdaHandler } from './lambda-handler';

/**
 * The Lambda of every route that does not touch photo storage: its bundle holds neither the S3
 * client nor sharp (the photo routes and profile deletion are `lambda-photos.ts`).
 */
export const handler = lambdaHandler(createContainer(loadConfig()));

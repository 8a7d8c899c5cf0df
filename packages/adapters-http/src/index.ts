export { buildApp, BODY_LIMIT_BYTES, type BuildAppOptions } from './app';
export { ConfigError, loadConfig, type AppConfig } from './config';
export { createContainer, type ContainerOverrides } from './container';
export { TOKENS, type ReadinessCheck } from './tokens';
export { photoAdapters } from './photo-adapters';
export { photoModule, type PhotoAdapters } from './photo-module';

export type { CompiledValidators, GeneratedValidator, ValidatorError } from './compiled-validators';
export { StandaloneMetadataSchemas } from './standalone-metadata-schemas';

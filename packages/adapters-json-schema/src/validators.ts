import type { CompiledValidators } from './compiled-validators';

// The module of a build without declared schemas. A build with a schemas file replaces it with
// the module compiled from the file (bundlers alias this entry, `@userprofile/adapters-json-schema
// /validators`, to it: scripts/bundle.mjs locally, the CDK stack at synth).

/** No schemas: no fingerprint. */
export const fingerprint: CompiledValidators['fingerprint'] = undefined;

/** No tier declares a schema. */
export const validators: CompiledValidators['validators'] = {};

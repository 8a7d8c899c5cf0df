import { StandaloneMetadataSchemas } from '@userprofile/adapters-json-schema';
import {
  readSchemasFile,
  schemasFingerprint,
  type DeclaredSchemas,
} from '@userprofile/adapters-json-schema/schemas-file';
import { fingerprint, validators } from '@userprofile/adapters-json-schema/validators';
import type { MetadataSchemas } from '@userprofile/domain';
import { resolve } from 'node:path';

/**
 * PROFILE_SCHEMAS_FILE's schemas, read and checked at start (a file that cannot be read, is not
 * JSON or declares what it may not adds a problem naming it); unset: none. A relative path is
 * from where the command started (pnpm's INIT_CWD, as scripts/bundle.mjs compiles it), so
 * `./scripts/start` and the server read one file.
 */
export function loadProfileSchemas(
  file: string | undefined,
  problems: string[],
): { profileSchemas?: DeclaredSchemas } {
  if (file === undefined) return {};
  try {
    return { profileSchemas: readSchemasFile(resolve(process.env.INIT_CWD ?? '.', file)) };
  } catch (error) {
    problems.push(`PROFILE_SCHEMAS_FILE: ${(error as Error).message}`);
    return {};
  }
}

/**
 * The declared schemas this process enforces: the validators its build carries (generated at
 * build time from the schemas file: `scripts/bundle.mjs` locally, the CDK stack at synth; none in
 * a build without one). Where the configuration names a schemas file too (the local server), the
 * build's validators must have been compiled from it, or the process does not start.
 * @throws Error when they were not
 */
export function compiledMetadataSchemas(declared: DeclaredSchemas | undefined): MetadataSchemas {
  if (declared !== undefined && schemasFingerprint(declared) !== fingerprint) {
    throw new Error(
      fingerprint === undefined
        ? 'PROFILE_SCHEMAS_FILE names schemas, but this build carries no validators: start the server with ./scripts/start (pnpm start), which compiles them when it bundles'
        : 'PROFILE_SCHEMAS_FILE has changed since this build compiled its validators: start the server again with ./scripts/start (pnpm start)',
    );
  }
  return new StandaloneMetadataSchemas({ fingerprint, validators });
}

import { readSchemasFile } from '@userprofile/adapters-json-schema/schemas-file';
import { join } from 'node:path';
import { compiledMetadataSchemas } from './metadata-schemas';

describe('the validators a build carries', () => {
  it('are none in a build without a schemas file, and enforce nothing', () => {
    expect(compiledMetadataSchemas(undefined).problemsOf('metadata', { any: 'thing' })).toEqual([]);
  });

  it('refuse to start when the configuration names schemas the build was not compiled from', () => {
    const example = readSchemasFile(join(__dirname, '../../../docs/examples/profile-schemas.json'));
    expect(() => compiledMetadataSchemas(example)).toThrow(
      /PROFILE_SCHEMAS_FILE names schemas, but this build carries no validators: start the server with \.\/scripts\/start/,
    );
  });
});

import { build, type BuildOptions } from 'esbuild';
import { join } from 'node:path';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const bundleOptions = require('../bundle-options.cjs') as Record<
  'lambda' | 'lambda-photos' | 'server',
  BuildOptions
>;

/** The bundle's modules of class-transformer's metadata storage, one per build of it (cjs, esm5...). */
async function storageModules(target: keyof typeof bundleOptions): Promise<string[]> {
  const { metafile } = await build({
    ...bundleOptions[target],
    outfile: join(__dirname, '../dist', `never-written-${target}.js`),
    write: false,
    metafile: true,
  });
  return Object.keys(metafile.inputs)
    .filter((input) => /\/class-transformer\/[^/]+\/storage\.js$/.test(input))
    .map((input) => input.replace(/^.*\/class-transformer\//, ''));
}

/**
 * `@Type()` (response-dto.ts) registers nested types in class-transformer's storage and the
 * OpenAPI document (request-schemas.ts) reads them from it: with two copies of the storage in one
 * bundle, the document the bundle serves loses its `$ref`s to nested schemas.
 */
describe("class-transformer's metadata storage in the deployable bundles", () => {
  it('is one module in the local server bundle', async () => {
    expect(await storageModules('server')).toHaveLength(1);
  });

  it.each(['lambda', 'lambda-photos'] as const)(
    'is one module at most in the %s bundle',
    async (target) => {
      expect((await storageModules(target)).length).toBeLessThanOrEqual(1);
    },
  );
});

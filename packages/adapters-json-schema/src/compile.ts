import Ajv from 'ajv';
import standaloneCode from 'ajv/dist/standalone';
import { buildSync } from 'esbuild';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CompiledValidators } from './compiled-validators';
import { readSchemasFile, schemasFingerprint, type DeclaredSchemas } from './schemas-file';

// Build time only (scripts/bundle.mjs, the CDK stack at synth, tests): ajv's compiler and esbuild
// never reach a deployed bundle, only the module this writes.

/**
 * ajv's options: every error (all problems in one answer), strict (a keyword it does not know,
 * or a schema that contradicts itself, fails the build rather than being ignored).
 */
const AJV_OPTIONS = { allErrors: true, strict: true, code: { source: true, esm: false } } as const;

/**
 * The CommonJS module of the validators of these schemas, self-contained: ajv's standalone code
 * with the few runtime helpers it requires (string length, deep equality) bundled in, exporting
 * `fingerprint` and `validators` as `CompiledValidators` types them.
 * @throws Error naming `source` and the tier whose schema ajv refuses
 */
export function compileValidatorsSource(schemas: DeclaredSchemas, source = 'schemas'): string {
  const ajv = new Ajv(AJV_OPTIONS);
  const exported: Record<string, string> = {};
  for (const [tier, schema] of Object.entries(schemas)) {
    try {
      ajv.addSchema(schema, tier);
      ajv.getSchema(tier);
    } catch (error) {
      throw new Error(`${source}: the ${tier} schema is not valid: ${(error as Error).message}`, {
        cause: error,
      });
    }
    exported[tier] = tier;
  }
  const code = Object.keys(exported).length > 0 ? standaloneCode(ajv, exported) : '';
  const entry = [
    'const generated = (() => { const exports = {}; const module = { exports };',
    code,
    'return module.exports; })();',
    `exports.fingerprint = ${JSON.stringify(schemasFingerprint(schemas))};`,
    `exports.validators = { ${Object.keys(exported)
      .map((tier) => `${tier}: generated.${tier}`)
      .join(', ')} };`,
  ].join('\n');
  const result = buildSync({
    stdin: { contents: entry, resolveDir: __dirname, sourcefile: 'metadata-validators.cjs' },
    // Paths in the output's comments relative to this package: the same module on every machine.
    absWorkingDir: join(__dirname, '..'),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    write: false,
    legalComments: 'none',
    logLevel: 'silent',
  });
  return result.outputFiles[0]!.text;
}

/**
 * Compiles the schemas file at `schemasFile` into `<dir>/metadata-validators-<fingerprint>.cjs`
 * (a name per content: builds of equal schemas share it) and answers its path.
 * @throws Error naming the file and what is wrong with it
 */
export function writeValidatorsModule(schemasFile: string, dir: string): string {
  const schemas = readSchemasFile(schemasFile);
  const source = compileValidatorsSource(schemas, schemasFile);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `metadata-validators-${schemasFingerprint(schemas).slice(0, 16)}.cjs`);
  writeFileSync(file, source);
  return file;
}

/** The validators of a generated module's source, evaluated in this process: for tests. */
export function loadValidatorsSource(source: string): CompiledValidators {
  const module = { exports: {} as CompiledValidators };
  new Function('module', 'exports', 'require', source)(module, module.exports, () => {
    throw new Error('a generated validators module requires nothing');
  });
  return module.exports;
}

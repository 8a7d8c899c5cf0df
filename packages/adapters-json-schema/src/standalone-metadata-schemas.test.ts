import Ajv from 'ajv';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { JsonObject } from '@userprofile/domain';
import { compileValidatorsSource, loadValidatorsSource, writeValidatorsModule } from './compile';
import { parseDeclaredSchemas, readSchemasFile, type DeclaredSchemas } from './schemas-file';
import { StandaloneMetadataSchemas } from './standalone-metadata-schemas';

const SCHEMAS = {
  metadata: {
    type: 'object',
    properties: {
      plan: { type: 'string', enum: ['free', 'pro'] },
      seats: { type: 'integer', minimum: 1, maximum: 500 },
      nick: { type: 'string', maxLength: 3 },
      tags: { type: 'array', items: { type: 'string' }, maxItems: 2 },
      legacy: { type: 'boolean', deprecated: true },
    },
    required: ['plan'],
    additionalProperties: false,
  },
  publicMetadata: {
    type: 'object',
    properties: { links: { type: 'object', additionalProperties: { type: 'string' } } },
  },
} satisfies DeclaredSchemas;

const schemas = () =>
  new StandaloneMetadataSchemas(loadValidatorsSource(compileValidatorsSource(SCHEMAS)));

describe('StandaloneMetadataSchemas on generated validators', () => {
  const s = schemas();

  it('accepts a valid tier and a tier without a schema, whatever it holds', () => {
    expect(s.problemsOf('metadata', { plan: 'pro', seats: 3, tags: ['a'], legacy: true })).toEqual(
      [],
    );
    expect(s.problemsOf('appMetadata', { anything: [1, { at: 'all' }] })).toEqual([]);
  });

  it('names every field at fault, from the tier, with the schema’s words', () => {
    const value = { seats: 0, nick: 'abcd', tags: ['a', 2, 'c'], colour: 'red' };
    expect(s.problemsOf('metadata', value)).toEqual([
      { field: 'metadata.plan', message: 'is required' },
      { field: 'metadata.colour', message: 'is not allowed' },
      { field: 'metadata.seats', message: 'must be >= 1' },
      { field: 'metadata.nick', message: 'must NOT have more than 3 characters' },
      { field: 'metadata.tags', message: 'must NOT have more than 2 items' },
      { field: 'metadata.tags[1]', message: 'must be string' },
    ]);
    expect(s.problemsOf('metadata', { plan: 'gold' })).toEqual([
      { field: 'metadata.plan', message: 'must be one of "free", "pro"' },
    ]);
    expect(s.problemsOf('publicMetadata', { links: { 'a/b': 1 } })).toEqual([
      { field: 'publicMetadata.links.a/b', message: 'must be string' },
    ]);
  });

  it('decides as ajv itself does, case by case', () => {
    const ajv = new Ajv({ allErrors: true, strict: true });
    const direct = ajv.compile(SCHEMAS.metadata);
    const cases: JsonObject[] = [
      { plan: 'free' },
      { plan: 'free', seats: 500 },
      { plan: 'free', seats: 501 },
      { plan: 'free', seats: 1.5 },
      { plan: 'pro', nick: '😀😀😀' },
      { plan: 'pro', nick: '😀😀😀😀' },
      { plan: 'pro', tags: [] },
      { plan: null },
      {},
    ];
    for (const value of cases) {
      expect(s.problemsOf('metadata', value).length === 0).toBe(direct(value));
    }
  });

  it('generates a module that requires nothing and carries no part of ajv’s compiler', () => {
    const source = compileValidatorsSource(SCHEMAS);
    // esbuild names each file it bundled in a comment: ajv's run-time helpers only.
    const bundled = [...source.matchAll(/^\/\/ (.*node_modules\/.*)$/gm)].map((m) => m[1]);
    expect(bundled.length).toBeGreaterThan(0);
    for (const file of bundled) expect(file).toMatch(/\/ajv\/dist\/runtime\/|\/fast-deep-equal\//);
    // Strings of ajv's compiler (core.js, compile/): its schema-compiling errors.
    expect(source).not.toMatch(/schema with key or id|strict mode/);
    // Evaluated with a `require` that throws (loadValidatorsSource): it needs no module.
    const loaded = loadValidatorsSource(source);
    expect(loaded.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(Object.keys(loaded.validators)).toEqual(['metadata', 'publicMetadata']);
  });
});

describe('schemas files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'schemas-'));
  const file = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };

  it('writes the module of a file under a name of its content', () => {
    const path = file('ok.json', JSON.stringify(SCHEMAS));
    const written = writeValidatorsModule(path, join(dir, 'out'));
    expect(written).toMatch(/metadata-validators-[0-9a-f]{16}\.cjs$/);
    expect(readSchemasFile(path)).toEqual(SCHEMAS);
  });

  it('refuses a file that is not JSON, unknown tiers and keywords, naming the file', () => {
    expect(() => readSchemasFile(file('bad.json', '{'))).toThrow(/bad\.json: not JSON/);
    expect(() => readSchemasFile(join(dir, 'missing.json'))).toThrow(
      /cannot read the schemas file/,
    );
    expect(() => parseDeclaredSchemas({ metdata: {} }, 'f.json')).toThrow(
      'f.json: "metdata" is not a metadata tier (metadata, appMetadata, publicMetadata)',
    );
    expect(() =>
      parseDeclaredSchemas({ metadata: { properties: { a: { const: 1 } } } }, 'f.json'),
    ).toThrow(/f\.json: metadata\.properties\.a uses "const"/);
    expect(() =>
      parseDeclaredSchemas({ appMetadata: { type: ['string', 'null'] } }, 'f.json'),
    ).toThrow(/appMetadata\.type must be one of/);
  });

  it('refuses a schema ajv cannot compile, naming the tier', () => {
    const bad = { publicMetadata: { type: 'object', properties: { a: { minLength: -1 } } } };
    expect(() => compileValidatorsSource(bad as never, 'f.json')).toThrow(
      /^f\.json: the publicMetadata schema is not valid: schema is invalid/,
    );
    const contradictory = {
      metadata: { type: 'object', properties: { a: { type: 'string', minimum: 1 } } },
    };
    expect(() => compileValidatorsSource(contradictory, 'f.json')).toThrow(/strict mode/);
  });
});

import { METADATA_TIERS, type JsonObject, type MetadataTier } from '@userprofile/domain';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

/** The JSON Schema declared for each tier that has one, as a schemas file holds them. */
export type DeclaredSchemas = Partial<Record<MetadataTier, JsonObject>>;

/**
 * The keywords a declared schema may use: those JSON Schema (draft-07, as ajv checks it) and the
 * OpenAPI 3.0 document (which embeds each schema) read alike, so one definition serves both.
 */
const KEYWORDS = new Set([
  'type',
  'properties',
  'required',
  'additionalProperties',
  'items',
  'enum',
  'minimum',
  'maximum',
  'multipleOf',
  'minLength',
  'maxLength',
  'pattern',
  'minItems',
  'maxItems',
  'uniqueItems',
  'minProperties',
  'maxProperties',
  'allOf',
  'anyOf',
  'oneOf',
  'not',
  'title',
  'description',
  'default',
  'deprecated',
]);
const TYPES = new Set(['object', 'array', 'string', 'number', 'integer', 'boolean']);
const TIERS = Object.keys(METADATA_TIERS);

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Why a schema cannot be declared, by the path of its part at fault; undefined: it can. */
function fault(schema: unknown, at: string): string | undefined {
  if (!isObject(schema)) return `${at} must be a JSON object (a schema)`;
  for (const [keyword, value] of Object.entries(schema)) {
    if (!KEYWORDS.has(keyword)) {
      return `${at} uses "${keyword}", which is not one of the keywords a declared schema may use (${[...KEYWORDS].join(', ')})`;
    }
    if (keyword === 'type' && !(typeof value === 'string' && TYPES.has(value))) {
      return `${at}.type must be one of ${[...TYPES].join(', ')} (one type, as OpenAPI 3.0 has it)`;
    }
  }
  const parts: [unknown, string][] = [];
  if (isObject(schema.properties)) {
    for (const [k, v] of Object.entries(schema.properties))
      parts.push([v, `${at}.properties.${k}`]);
  }
  if (isObject(schema.additionalProperties))
    parts.push([schema.additionalProperties, `${at}.additionalProperties`]);
  if (schema.items !== undefined) parts.push([schema.items, `${at}.items`]);
  if (schema.not !== undefined) parts.push([schema.not, `${at}.not`]);
  for (const k of ['allOf', 'anyOf', 'oneOf'] as const) {
    const list = schema[k];
    if (list !== undefined && !Array.isArray(list)) return `${at}.${k} must be an array of schemas`;
    (list ?? []).forEach((s: unknown, i: number) => parts.push([s, `${at}.${k}[${i}]`]));
  }
  for (const [part, path] of parts) {
    const problem = fault(part, path);
    if (problem) return problem;
  }
  return undefined;
}

/**
 * The schemas of a schemas file's JSON: an object of tiers (`metadata`, `appMetadata`,
 * `publicMetadata`, each optional) to schemas in the keywords above.
 * @throws Error naming `source` and every part at fault
 */
export function parseDeclaredSchemas(raw: unknown, source: string): DeclaredSchemas {
  if (!isObject(raw)) {
    throw new Error(`${source}: must be a JSON object of tiers (${TIERS.join(', ')}) to schemas`);
  }
  const problems: string[] = [];
  for (const [tier, schema] of Object.entries(raw)) {
    if (!TIERS.includes(tier)) {
      problems.push(`"${tier}" is not a metadata tier (${TIERS.join(', ')})`);
      continue;
    }
    const problem = fault(schema, tier);
    if (problem) problems.push(problem);
  }
  if (problems.length > 0) throw new Error(`${source}: ${problems.join('; ')}`);
  return raw as DeclaredSchemas;
}

/** The schemas of the file at `path`. @throws Error naming the file and what is wrong with it */
export function readSchemasFile(path: string): DeclaredSchemas {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(`${path}: cannot read the schemas file (${(error as Error).message})`, {
      cause: error,
    });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new Error(`${path}: not JSON (${(error as Error).message})`, { cause: error });
  }
  return parseDeclaredSchemas(raw, path);
}

/** SHA-256 of the schemas with sorted keys: equal schemas, equal fingerprints, whatever the file's layout. */
export function schemasFingerprint(schemas: DeclaredSchemas): string {
  const sorted = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(sorted)
      : isObject(v)
        ? Object.fromEntries(
            Object.keys(v)
              .sort()
              .map((k) => [k, sorted(v[k])]),
          )
        : v;
  return createHash('sha256')
    .update(JSON.stringify(sorted(schemas)))
    .digest('hex');
}

import { validationMetadatasToSchemas } from 'class-validator-jsonschema';
import { ChangeUserProfileDto, CreateUserProfileDto } from './dto';
import { PhotoCommitDto, PhotoUploadRequestDto } from './photo-dto';

/** A JSON Schema as class-validator-jsonschema writes it. */
export interface GeneratedSchema {
  type: 'object';
  properties: Record<string, Record<string, unknown>>;
  required?: string[];
}

/**
 * The JSON Schema of each request body, generated from its class-validator DTO: the one
 * definition that also validates the request. Loaded by the OpenAPI document only (it pulls in
 * class-validator-jsonschema), so no Lambda bundle carries it.
 */
export function dtoSchema(dto: { name: string }): GeneratedSchema {
  // Every DTO's metadata is registered when its module loads: the imports above.
  void [CreateUserProfileDto, ChangeUserProfileDto, PhotoUploadRequestDto, PhotoCommitDto];
  generated ??= validationMetadatasToSchemas() as unknown as Record<string, GeneratedSchema>;
  const schema = generated[dto.name];
  if (!schema) throw new Error(`No class-validator metadata for ${dto.name}`);
  const copy = structuredClone(schema);
  for (const property of Object.values(copy.properties)) {
    // `@IsObject()`: any JSON object. JSON Schema's default, said outright for code generators
    // (openapi-typescript would otherwise type it as an object with no properties).
    if (property.type === 'object' && !('properties' in property)) {
      property.additionalProperties = true;
    }
  }
  return copy;
}
let generated: Record<string, GeneratedSchema> | undefined;

/** What the document may add to a generated schema: words, never rules (see schemas.test.ts). */
export interface Documentation {
  readonly $id: string;
  readonly description: string;
  readonly properties?: Record<
    string,
    { description?: string; nullable?: true; example?: unknown }
  >;
  /** A rule of the domain's that no DTO decorator states: "give at least one field". */
  readonly minProperties?: number;
}

/**
 * A request body's named schema: its DTO's, with unknown fields refused (as `validateDto` does,
 * with `forbidNonWhitelisted`), and the documentation's words.
 */
export function documented(dto: { name: string }, doc: Documentation) {
  const schema = dtoSchema(dto);
  for (const [field, words] of Object.entries(doc.properties ?? {})) {
    const property = schema.properties[field];
    if (!property) throw new Error(`${dto.name} has no field ${field} to describe`);
    Object.assign(property, words);
  }
  return {
    $id: doc.$id,
    description: doc.description,
    ...schema,
    additionalProperties: false,
    ...(doc.minProperties === undefined ? {} : { minProperties: doc.minProperties }),
  };
}

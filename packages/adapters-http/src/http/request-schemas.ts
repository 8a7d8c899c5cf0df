import { defaultMetadataStorage } from 'class-transformer/cjs/storage';
import { validationMetadatasToSchemas } from 'class-validator-jsonschema';
import { ChangeUserProfileDto, CreateUserProfileDto, ListUsersQueryDto } from './dto';
import * as eventDtos from './event-dto';
import * as webhookDtos from './webhook-dto';
import { PhotoCommitDto, PhotoUploadRequestDto } from './photo-dto';
import { SuspensionRequestDto } from './suspension-dto';
import * as publicProfiles from './public-profile-dto';
import { PublicProfilesQueryDto } from './public-profile-query';
import * as responses from './response-dto';

/** A JSON Schema as class-validator-jsonschema writes it. */
export interface GeneratedSchema {
  type: 'object';
  properties: Record<string, Record<string, unknown>>;
  required?: string[];
}

/**
 * The JSON Schema of a request body or an answer, generated from its class-validator class: for
 * a request, the one definition that also validates it; for an answer, the one the controllers'
 * types are held to. Nested classes are `$ref`s to their own named schemas (`Name#`, as the
 * document's resolver names them). Loaded by the OpenAPI document only (it pulls in
 * class-validator-jsonschema), so no Lambda bundle carries it.
 */
export function dtoSchema(dto: { name: string }): GeneratedSchema {
  // Every DTO's metadata is registered when its module loads: the imports above.
  void [
    CreateUserProfileDto,
    ChangeUserProfileDto,
    ListUsersQueryDto,
    PhotoUploadRequestDto,
    PhotoCommitDto,
    SuspensionRequestDto,
    responses,
    eventDtos,
    webhookDtos,
    publicProfiles,
    PublicProfilesQueryDto,
  ];
  generated ??= validationMetadatasToSchemas({
    classTransformerMetadataStorage: defaultMetadataStorage,
    refPointerPrefix: '',
    // OpenAPI's formats for what class-validator checks.
    additionalConverters: {
      isIso8601: { type: 'string', format: 'date-time' },
      isUrl: { type: 'string', format: 'uri' },
    },
  }) as unknown as Record<string, GeneratedSchema>;
  const schema = generated[dto.name];
  if (!schema) throw new Error(`No class-validator metadata for ${dto.name}`);
  const copy = JSON.parse(JSON.stringify(schema), (key, value: unknown) =>
    key === '$ref' ? `${String(value)}#` : value,
  ) as GeneratedSchema;
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

/** What the document may add to a generated schema: words, never rules (request-schemas.test.ts holds it). */
export interface Documentation {
  readonly $id: string;
  readonly description: string;
  readonly properties?: Record<
    string,
    {
      description?: string;
      nullable?: true;
      example?: unknown;
      /** What the service takes when the field is left out. */
      default?: unknown;
      /** The type of a free-form object's values (which class-validator cannot state). */
      additionalProperties?: { type: 'string' };
    }
  >;
  /** A rule of the domain's that no DTO decorator states: "give at least one field". */
  readonly minProperties?: number;
}

/**
 * A request body's named schema: its DTO's, with unknown fields refused (as `validateDto` does,
 * with `forbidNonWhitelisted`), and the documentation's words.
 */
export function documented(
  dto: { name: string },
  doc: Documentation,
  /** Requests refuse unknown fields (`validateDto`); answers are not held to that. */
  kind: 'request' | 'response' = 'request',
) {
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
    ...(kind === 'request' ? { additionalProperties: false } : {}),
    ...(doc.minProperties === undefined ? {} : { minProperties: doc.minProperties }),
  };
}

/** A query string's schema: its DTO's (unknown parameters are refused), with words. */
export function documentedQuery(
  dto: { name: string },
  doc: Omit<Documentation, '$id' | 'description'>,
) {
  const {
    $id: _id,
    description: _description,
    ...schema
  } = documented(dto, {
    ...doc,
    $id: '',
    description: '',
  });
  return schema;
}

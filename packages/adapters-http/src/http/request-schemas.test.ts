import { ChangeUserProfileDto, CreateUserProfileDto, ListUsersQueryDto } from './dto';
import { PhotoCommitDto, PhotoUploadRequestDto } from './photo-dto';
import { dtoSchema } from './request-schemas';
import {
  FieldProblem,
  Problem,
  ProfilePage,
  ProfilePhoto,
  RenditionUrls,
  UploadTicket,
  UserProfile,
} from './response-dto';
import { buildTestApp } from '../testing/test-app';

/** Keywords that describe and never constrain, and what `validateDto` adds to every DTO. */
const WORDS = new Set(['$id', 'description', 'nullable', 'example', 'default']);

function withoutWords(schema: Record<string, unknown>): unknown {
  return JSON.parse(JSON.stringify(schema), function (key, value: unknown) {
    return WORDS.has(key) && !Array.isArray(this) ? undefined : value;
  });
}

describe('the request bodies and answers of the served document', () => {
  it.each([
    ['NewProfile', CreateUserProfileDto, {}],
    ['ProfileUpdate', ChangeUserProfileDto, { minProperties: 1 }],
    ['ProfileMergePatch', ChangeUserProfileDto, {}],
    ['PhotoUploadRequest', PhotoUploadRequestDto, {}],
    ['PhotoCommit', PhotoCommitDto, {}],
  ])(
    '%s: its DTO’s own rules, with words added (and the domain rules it names)',
    async (name, dto, domainRules) => {
      const { app } = await buildTestApp(
        {},
        {
          AUTH_MODE: 'jwt',
          AUTH_ISSUER: 'https://issuer.example.com',
          AUTH_AUDIENCE: 'app',
        },
      );
      try {
        const doc = (await app.inject({ url: '/openapi.json' })).json() as {
          components: { schemas: Record<string, Record<string, unknown>> };
        };
        const served = doc.components.schemas[name]!;
        expect(withoutWords(served)).toEqual({
          ...dtoSchema(dto),
          // Unknown fields are refused by validateDto (forbidNonWhitelisted) for every DTO.
          additionalProperties: false,
          ...domainRules,
        });
      } finally {
        await app.close();
      }
    },
  );

  it.each([
    ['UserProfile', UserProfile, {}],
    ['ProfilePhoto', ProfilePhoto, {}],
    ['RenditionUrls', RenditionUrls, {}],
    ['ProfilePage', ProfilePage, {}],
    ['Problem', Problem, {}],
    ['FieldProblem', FieldProblem, {}],
    // The values of the form fields are strings, which class-validator cannot state of an object.
    ['UploadTicket', UploadTicket, { fields: { additionalProperties: { type: 'string' } } }],
  ])('%s (an answer): its class’s own shape, with words added', async (name, cls, values) => {
    const { app } = await buildTestApp();
    try {
      const doc = (await app.inject({ url: '/openapi.json' })).json() as {
        components: { schemas: Record<string, Record<string, unknown>> };
      };
      // The document names a nested schema by its component path; the route schemas by `$id#`.
      const generated = JSON.parse(
        JSON.stringify(dtoSchema(cls)).replace(
          /"\$ref":"(\w+)#"/g,
          '"$ref":"#/components/schemas/$1"',
        ),
      ) as ReturnType<typeof dtoSchema>;
      for (const [field, overlay] of Object.entries(values)) {
        Object.assign(generated.properties[field]!, overlay);
      }
      expect(withoutWords(doc.components.schemas[name]!)).toEqual(generated);
    } finally {
      await app.close();
    }
  });

  it('list query: its DTO’s own rules, as parameters', async () => {
    const { app } = await buildTestApp();
    try {
      const doc = (await app.inject({ url: '/openapi.json' })).json() as {
        paths: Record<string, Record<string, { parameters: { name: string; schema: object }[] }>>;
      };
      const parameters = doc.paths['/users']!.get!.parameters;
      const generated = dtoSchema(ListUsersQueryDto);
      expect(
        Object.fromEntries(
          parameters.map((p) => [p.name, withoutWords(p.schema as Record<string, unknown>)]),
        ),
      ).toEqual(generated.properties);
      expect(generated.properties.limit).toEqual({ type: 'integer', minimum: 1, maximum: 100 });
    } finally {
      await app.close();
    }
  });

  it('name the domain’s limits and patterns, which the DTOs import', () => {
    const created = dtoSchema(CreateUserProfileDto);
    expect(created.properties.firstName).toMatchObject({ minLength: 1, maxLength: 100 });
    expect(created.properties.email).toMatchObject({ maxLength: 254 });
    expect(created.properties.phoneNumber).toMatchObject({ pattern: '^\\+[1-9][0-9]{1,14}$' });
    expect(dtoSchema(PhotoUploadRequestDto).properties.contentLength).toMatchObject({
      type: 'integer',
      minimum: 1,
      maximum: 5 * 1024 * 1024,
    });
  });
});

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ts from 'typescript';

const packageDir = join(__dirname, '..');
const EXAMPLE = join(packageDir, '../../docs/examples/profile-schemas.json');

/**
 * A service configured with declared schemas (docs/examples/profile-schemas.json) serves them in
 * its document, and the client generated from it (as `generate` makes it) types each tier's fields.
 */
describe('a client generated from a document with declared schemas', () => {
  let out: string;
  beforeAll(() => {
    out = mkdtempSync(join(tmpdir(), 'client-schemas-'));
    execFileSync(process.execPath, [join(packageDir, 'scripts/generate.mjs'), out], {
      stdio: 'pipe',
      env: { ...process.env, PROFILE_SCHEMAS_FILE: EXAMPLE },
    });
  }, 120_000);
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('types the tiers of answers, creates and merge patches by the declared schemas', () => {
    writeFileSync(
      join(out, 'src/check.ts'),
      `import type { components } from './schema';
type S = components['schemas'];
export const answer: S['UserProfile']['appMetadata'] = { plan: 'pro', seats: 3, roles: ['ops'] };
export const create: S['NewProfile']['metadata'] = { theme: 'dark', newsletter: true };
// A merge patch may leave out what is required and remove a key with null.
export const patch: S['ProfileMergePatch']['appMetadata'] = { seats: null };
export const bio: S['PublicProfile']['publicMetadata'] = { bio: 'Analyst' };
// @ts-expect-error -- not one of the plans
export const gold: S['UserProfile']['appMetadata'] = { plan: 'gold' };
// @ts-expect-error -- plan is required in what is answered
export const noPlan: S['UserProfile']['appMetadata'] = { seats: 3 };
// @ts-expect-error -- not a key of metadata (additionalProperties: false)
export const colour: S['NewProfile']['metadata'] = { colour: 'red' };
`,
    );
    const program = ts.createProgram([join(out, 'src/check.ts')], {
      strict: true,
      noEmit: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      skipLibCheck: true,
    });
    const errors = ts
      .getPreEmitDiagnostics(program)
      .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    expect(errors).toEqual([]);
    // And the document itself carries the schema on the tier.
    const document = JSON.parse(readFileSync(join(out, 'openapi.json'), 'utf8')) as {
      components: {
        schemas: Record<string, { properties: Record<string, { required?: string[] }> }>;
      };
    };
    expect(document.components.schemas.UserProfile!.properties.appMetadata!.required).toEqual([
      'plan',
    ]);
  });
});

import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(__dirname, '../../../..');
const bin = (name: string) => join(root, 'node_modules/.bin', name);

/**
 * The served document, as a client developer lints it: Spectral with `spectral:oas` and Redocly
 * with its recommended rules (the ruleset files at the root, where a rule turned off says why),
 * in both auth modes. Any finding fails, warnings included.
 */
describe.each(['none', 'jwt'])('the OpenAPI document of AUTH_MODE=%s', (mode) => {
  let dir: string;
  let file: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'openapi-lint-'));
    file = join(dir, 'openapi.json');
    const doc = execFileSync(
      process.execPath,
      ['--import', 'tsx', join(__dirname, '../../scripts/openapi-document.ts'), mode],
      // From the package, whose tsconfig (decorators) tsx reads.
      { encoding: 'utf8', cwd: join(__dirname, '../..') },
    );
    writeFileSync(file, doc);
  }, 60_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('has no Spectral finding of any severity', () => {
    const run = spawnSync(
      bin('spectral'),
      ['lint', '--ruleset', join(root, '.spectral.yaml'), '--format', 'json', '--quiet', file],
      { encoding: 'utf8' },
    );
    const findings = JSON.parse(run.stdout || '[]') as { code: string; path: string[] }[];
    expect(findings.map((f) => `${f.code} at ${f.path.join('.')}`)).toEqual([]);
    expect(run.status).toBe(0);
  }, 60_000);

  it('has no Redocly error or warning with the recommended rules', () => {
    const run = spawnSync(
      bin('redocly'),
      ['lint', '--config', join(root, 'redocly.yaml'), '--format', 'json', file],
      {
        encoding: 'utf8',
        env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
      },
    );
    const report = JSON.parse(run.stdout) as {
      totals: { errors: number; warnings: number };
      problems: { ruleId: string; message: string }[];
    };
    expect(report.problems.map((p) => `${p.ruleId}: ${p.message}`)).toEqual([]);
    expect(report.totals).toMatchObject({ errors: 0, warnings: 0 });
    expect(run.status).toBe(0);
  }, 60_000);
});

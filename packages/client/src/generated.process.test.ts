import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const packageDir = join(__dirname, '..');

/** The committed contract is what the service serves today: regenerated here, it must not differ. */
describe('the generated client contract', () => {
  let out: string;
  beforeAll(() => {
    out = mkdtempSync(join(tmpdir(), 'client-contract-'));
    execFileSync(process.execPath, [join(packageDir, 'scripts/generate.mjs'), out], {
      stdio: 'pipe',
    });
  }, 120_000);
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it.each(['openapi.json', 'src/schema.ts'])(
    '%s is the one the service and openapi-typescript make now (run `pnpm --filter @userprofile/client generate`)',
    (file) => {
      expect(readFileSync(join(out, file), 'utf8')).toBe(
        readFileSync(join(packageDir, file), 'utf8'),
      );
    },
  );
});

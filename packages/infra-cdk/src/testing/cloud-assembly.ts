import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { CfnTemplate } from '../iam-enforcing-proxy';

const packageDir = join(__dirname, '..', '..');

/** A function's name in the `dev` stack: `userprofile-dev-<name>`. */
export const devFunction = (name: string) => `userprofile-dev-${name}`;

/** The functions of the profile routes, which never touch photo storage. */
export const PROFILE_FUNCTIONS = ['create-user', 'get-user', 'list-users', 'update-user'].map(
  devFunction,
);
/** Those whose routes touch photo storage: profile deletion, and the photo routes. */
export const PHOTO_FUNCTIONS = ['delete-user', 'user-photo'].map(devFunction);

/**
 * `cdk synth` as a user runs it (offline, no AWS credentials), written to a directory of its own:
 * the template and the Lambda assets it would deploy. Each test file synthesizes its own (about
 * 10 s), so that jest can run any of them alone.
 */
class CloudAssembly {
  private out: string | undefined;
  private synthesized:
    | { template: CfnTemplate; assets: { files: Record<string, { source: { path: string } }> } }
    | undefined;

  /** `pnpm synth` into a temporary directory; read back its template and asset manifest. */
  synth(): void {
    this.out = mkdtempSync(join(tmpdir(), 'cdk-out-'));
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, CI: 'true' };
    // A stack that keeps data must name who hears its alarms (else synth fails).
    const context = ['-c', 'environment=dev', '-c', 'alarmEmail=ops@example.com'];
    execFileSync('pnpm', ['run', '--silent', 'synth', '-o', this.out, ...context], {
      cwd: packageDir,
      env,
      stdio: 'pipe',
    });
    const read = (file: string) => JSON.parse(readFileSync(join(this.out!, file), 'utf8'));
    this.synthesized = {
      template: read('UserProfile-dev.template.json'),
      assets: read('UserProfile-dev.assets.json'),
    };
  }

  remove(): void {
    if (this.out) rmSync(this.out, { recursive: true, force: true });
  }

  /** The directory `cdk synth` wrote to. */
  get directory(): string {
    if (!this.out) throw new Error('the cloud assembly is not synthesized yet');
    return this.out;
  }

  get template(): CfnTemplate {
    if (!this.synthesized) throw new Error('the cloud assembly is not synthesized yet');
    return this.synthesized.template;
  }

  functionProps(functionName: string): Record<string, unknown> {
    const fn = Object.values(this.template.Resources).find(
      (r) => r.Type === 'AWS::Lambda::Function' && r.Properties.FunctionName === functionName,
    );
    if (!fn) throw new Error(`no function ${functionName}`);
    return fn.Properties;
  }

  /** The function's environment variables, as the template sets them. */
  environmentOf(functionName: string): Record<string, unknown> {
    return (this.functionProps(functionName).Environment as { Variables: Record<string, unknown> })
      .Variables;
  }

  /** The entry point (index.js) of the function's asset. */
  assetOf(functionName: string): string {
    const key = (this.functionProps(functionName).Code as { S3Key: string }).S3Key;
    const asset = this.synthesized!.assets.files[key.replace(/\.zip$/, '')];
    if (!asset) throw new Error(`no asset for ${functionName}`);
    return join(this.directory, asset.source.path, 'index.js');
  }

  /** The asset's exec wrapper, as the function's AWS_LAMBDA_EXEC_WRAPPER names it. */
  wrapperOf(functionName: string): string {
    const inTask = String(this.environmentOf(functionName).AWS_LAMBDA_EXEC_WRAPPER ?? '');
    expect(inTask).toMatch(/^\/var\/task\//);
    return join(dirname(this.assetOf(functionName)), inTask.slice('/var/task/'.length));
  }
}

export type { CloudAssembly };

/**
 * The test file's cloud assembly: synthesized before its first test (`beforeAll`, registered
 * where this is called, so before the hooks registered after it), removed after its last.
 */
export function synthesizedAssembly(): CloudAssembly {
  const assembly = new CloudAssembly();
  beforeAll(() => assembly.synth(), 180_000);
  afterAll(() => assembly.remove());
  return assembly;
}

import { spawn } from 'node:child_process';
import { join } from 'node:path';

const root = join(__dirname, '..');
const eslintBin = join(root, 'node_modules', 'eslint', 'bin', 'eslint.js');

interface LintResult {
  exitCode: number | null;
  messages: string[];
}

/** Lints `code` as if it were a file at `path`, with the repository's real ESLint config. */
function lint(path: string, code: string): Promise<LintResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [eslintBin, '--format', 'json', '--stdin', '--stdin-filename', path],
      { cwd: root },
    );
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.on('error', reject);
    child.on('close', (exitCode) => {
      const [report] = JSON.parse(stdout) as [{ messages: { ruleId: string; message: string }[] }];
      resolve({ exitCode, messages: report.messages.map((m) => `${m.ruleId}: ${m.message}`) });
    });
    child.stdin.end(code);
  });
}

jest.setTimeout(60_000);

const forbidden = [
  "import { DynamoDBClient } from '@aws-sdk/client-dynamodb';",
  "import Fastify from 'fastify';",
  "import cors from '@fastify/cors';",
  "import { Container } from 'inversify';",
  "import { IsEmail } from 'class-validator';",
  "import { Stack } from 'aws-cdk-lib';",
  "import { randomUUID } from 'node:crypto';",
  "import { InMemoryUserProfileRepository } from '@userprofile/adapters-dynamo';",
  "export { x } from 'left-pad';",
];

describe('the dependency rule of the hexagon', () => {
  // ESLint starts in about a second; lint every fixture at once rather than one after another.
  const results = new Map<string, Promise<LintResult>>();
  beforeAll(() => {
    for (const statement of forbidden) {
      results.set(
        statement,
        lint('packages/domain/src/use-cases/leak.ts', `${statement}\nexport const used = 1;\n`),
      );
    }
  });

  it.each(forbidden)('fails the lint when packages/domain does %s', async (statement) => {
    const result = await results.get(statement);
    expect(result?.exitCode).toBe(1);
    expect(result?.messages).toContainEqual(
      expect.stringMatching(/^no-restricted-imports: .*must stay pure/),
    );
  });

  it('lets the domain import its own files', async () => {
    const result = await lint(
      'packages/domain/src/use-cases/fine.ts',
      "export { ValidationFailed } from '../errors';\n",
    );
    expect(result).toEqual({ exitCode: 0, messages: [] });
  });

  it('lets adapters import infrastructure', async () => {
    const code =
      "import { DynamoDBClient } from '@aws-sdk/client-dynamodb';\nexport const c = DynamoDBClient;\n";
    expect(await lint('packages/adapters-dynamo/src/fine.ts', code)).toEqual({
      exitCode: 0,
      messages: [],
    });
  });
});

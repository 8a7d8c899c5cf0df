import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const root = join(__dirname, '..');

interface LintResult {
  errorCount: number;
  messages: string[];
}

/** Lints each fixture as if it were a file at its path, with the repository's real ESLint config. */
function lintAll(fixtures: { path: string; code: string }[]): LintResult[] {
  const out = execFileSync(process.execPath, [join(__dirname, 'lint-fixtures.mjs')], {
    cwd: root,
    input: JSON.stringify(fixtures),
    encoding: 'utf8',
  });
  return JSON.parse(out) as LintResult[];
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
  const fine = [
    {
      path: 'packages/domain/src/use-cases/fine.ts',
      code: "export { ValidationFailed } from '../errors';\n",
    },
    {
      path: 'packages/adapters-dynamo/src/fine.ts',
      code: "import { DynamoDBClient } from '@aws-sdk/client-dynamodb';\nexport const c = DynamoDBClient;\n",
    },
    {
      path: 'packages/domain/src/testing/fine.ts',
      code: "import fc from 'fast-check';\nexport const arbitrary = fc.integer();\n",
    },
  ];
  // One ESLint process for every fixture.
  let results: LintResult[] = [];
  beforeAll(() => {
    results = lintAll([
      ...forbidden.map((statement) => ({
        path: 'packages/domain/src/use-cases/leak.ts',
        code: `${statement}\nexport const used = 1;\n`,
      })),
      ...fine,
      // Test support may use fast-check, and still nothing else.
      {
        path: 'packages/domain/src/testing/leak.ts',
        code: "import Fastify from 'fastify';\nexport const f = Fastify;\n",
      },
    ]);
  });

  it.each(forbidden.map((statement, i) => [statement, i] as const))(
    'fails the lint when packages/domain does %s',
    (_statement, i) => {
      expect(results[i]?.errorCount).toBeGreaterThan(0);
      expect(results[i]?.messages).toContainEqual(
        expect.stringMatching(/^no-restricted-imports: .*must stay pure/),
      );
    },
  );

  it('lets the domain import its own files, adapters infrastructure, and test support fast-check', () => {
    expect(results.slice(forbidden.length, forbidden.length + fine.length)).toEqual(
      fine.map(() => ({ errorCount: 0, messages: [] })),
    );
  });

  it("keeps the domain's test support pure otherwise", () => {
    expect(results.at(-1)?.messages).toContainEqual(
      expect.stringMatching(/^no-restricted-imports: .*must stay pure/),
    );
  });
});

describe('the dependency rule between packages, and the type-aware rules', () => {
  const cases = [
    // [path, code, the rule and message expected, or null when the code is fine]
    [
      'packages/adapters-dynamo/src/leak.ts',
      "export { buildApp } from '@userprofile/adapters-http';\n",
      /^no-restricted-imports: .* adapters-dynamo may import only domain/,
    ],
    [
      'packages/adapters-http/src/http/leak.ts',
      "export { renditionUrls } from '@userprofile/adapters-s3/keys';\n",
      /^no-restricted-imports: .* adapters-http's HTTP layer .* know the domain only/,
    ],
    [
      'packages/infra-cdk/src/leak.ts',
      "export { ensureTable } from '@userprofile/adapters-dynamo/src/table';\n",
      /^no-restricted-imports: .* Import a package through its entry points/,
    ],
    [
      'packages/adapters-http/src/leak.ts',
      "export { ensureTable } from '../../adapters-dynamo/src/index';\n",
      /^no-restricted-imports: .* Import another package by its name/,
    ],
    [
      'packages/client/src/leak.ts',
      "export { ROUTES } from '@userprofile/adapters-http/routes';\n",
      /^no-restricted-imports: .* client may import only no other package/,
    ],
    [
      'packages/adapters-http/src/leak.ts',
      'export async function f(): Promise<void> {}\nexport function g(): void {\n  f();\n}\n',
      /^@typescript-eslint\/no-floating-promises: /,
    ],
    [
      'packages/adapters-http/src/leak.ts',
      'export async function f(): Promise<void> {}\nexport const xs = [1].filter(async () => f());\n',
      /^@typescript-eslint\/no-misused-promises: /,
    ],
    [
      'packages/adapters-http/src/fine.ts',
      "export { S3PhotoStore } from '@userprofile/adapters-s3';\n",
      null,
    ],
    [
      'packages/infra-cdk/src/fine.ts',
      "export { ROUTES } from '@userprofile/adapters-http/routes';\n",
      null,
    ],
  ] as const;
  let results: LintResult[] = [];
  beforeAll(() => {
    results = lintAll(cases.map(([path, code]) => ({ path, code })));
  });

  it.each(cases.map(([path, code, expected], i) => [path, code, expected, i] as const))(
    'lints %s: %s',
    (_path, _code, expected, i) => {
      if (expected === null) expect(results[i]).toEqual({ errorCount: 0, messages: [] });
      else expect(results[i]?.messages).toContainEqual(expect.stringMatching(expected));
    },
  );
});

// Lints code fixtures as if they were files at the given paths, with the repository's own ESLint
// config, all in this one process (ESLint takes about a second to start; one start serves all).
// Reads [{ "path": "...", "code": "..." }] on stdin; writes [{ "errorCount", "messages" }].
import { ESLint } from 'eslint';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const fixtures = JSON.parse(readFileSync(0, 'utf8'));
// A fixture is no file of any tsconfig.json: the type-aware rules type it with the base options.
const eslint = new ESLint({
  cwd: root,
  overrideConfig: {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: {
        projectService: {
          allowDefaultProject: ['packages/*/src/*.ts', 'packages/*/src/*/*.ts'],
          defaultProject: 'tsconfig.base.json',
        },
      },
    },
  },
});
const results = [];
for (const { path, code } of fixtures) {
  const [result] = await eslint.lintText(code, { filePath: join(root, path) });
  results.push({
    errorCount: result.errorCount,
    messages: result.messages.map((m) => `${m.ruleId}: ${m.message}`),
  });
}
process.stdout.write(JSON.stringify(results));

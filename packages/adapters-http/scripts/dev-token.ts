/**
 * Prints a development token for a local server started with AUTH_MODE=jwt AUTH_DEV_KEYS=true.
 *   pnpm -s dev-token [--sub <uuid>] [--admin] [--email <address>] [--expires-in <seconds>]
 * Refused unless ENVIRONMENT is local (the default). The token goes to stdout, notes to stderr.
 */
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { mintDevToken } from '../src/auth/dev-keys';
import { ConfigError, loadConfig } from '../src/config';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      sub: { type: 'string' },
      admin: { type: 'boolean', default: false },
      email: { type: 'string' },
      'expires-in': { type: 'string', default: '3600' },
    },
  });
  const expiresInSeconds = Number(values['expires-in']);
  if (!Number.isInteger(expiresInSeconds) || expiresInSeconds < 1) {
    throw new Error(
      `--expires-in must be a whole number of seconds (got "${values['expires-in']}")`,
    );
  }
  const sub = values.sub ?? randomUUID();
  const token = await mintDevToken(loadConfig(), {
    sub,
    admin: values.admin,
    email: values.email,
    expiresInSeconds,
  });
  console.error(`sub=${sub}${values.admin ? ' (admin)' : ''}, valid ${expiresInSeconds} s`);
  console.log(token);
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError || error instanceof Error ? error.message : error);
  process.exit(2);
});

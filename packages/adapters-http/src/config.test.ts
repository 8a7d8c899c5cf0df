import { DEV_TOKEN_AUDIENCE, DEV_TOKEN_ISSUER } from './config-auth';
import { ENV_NAMES } from './environment';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, loadConfig, withLocalS3 } from './config';

const POOL = 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf123';

function problemsOf(env: NodeJS.ProcessEnv): readonly string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('authentication settings', () => {
  it('default to the open API', () => {
    expect(loadConfig({}).auth).toEqual({ mode: 'none' });
  });

  it('in jwt mode take the JWKS from the issuer, as Cognito publishes it, and several clients', () => {
    expect(
      loadConfig({ AUTH_MODE: 'jwt', AUTH_ISSUER: POOL, AUTH_AUDIENCE: 'ios, android' }).auth,
    ).toEqual({
      mode: 'jwt',
      issuer: POOL,
      audiences: ['ios', 'android'],
      jwksUrl: `${POOL}/.well-known/jwks.json`,
      adminGroup: 'admin',
      devKeys: false,
      writesPerMinute: 60,
    });
  });

  it('take a per-subject write limit, 0 for none, and refuse anything else', () => {
    const env = { AUTH_MODE: 'jwt', AUTH_ISSUER: POOL, AUTH_AUDIENCE: 'ios' };
    expect(loadConfig({ ...env, RATE_LIMIT_WRITES: '0' }).auth).toMatchObject({
      writesPerMinute: 0,
    });
    for (const bad of ['-1', 'ten', '1.5']) {
      expect(problemsOf({ ...env, RATE_LIMIT_WRITES: bad })).toEqual([
        `RATE_LIMIT_WRITES must be a whole number of writes per subject per minute, 0 for none (got "${bad}")`,
      ]);
    }
  });

  it('take the keys delivered with the deployment, and refuse what is no key set', () => {
    const jwks = { keys: [{ kty: 'RSA', kid: 'k1', n: 'AQAB', e: 'AQAB' }] };
    const env = { AUTH_MODE: 'jwt', AUTH_ISSUER: POOL, AUTH_AUDIENCE: 'ios' };
    expect(loadConfig({ ...env, AUTH_JWKS: JSON.stringify(jwks) }).auth).toMatchObject({ jwks });
    for (const bad of ['not json', '{"keys":[]}', '{"keys":[{"kid":"x"}]}', '[]']) {
      expect(problemsOf({ ...env, AUTH_JWKS: bad })).toEqual([
        'AUTH_JWKS must be a JSON Web Key Set, {"keys":[...]} with one key at least',
      ]);
    }
  });

  it('in jwt mode require an issuer and an audience', () => {
    expect(problemsOf({ AUTH_MODE: 'jwt' })).toEqual([
      'AUTH_ISSUER is required when AUTH_MODE=jwt',
      'AUTH_AUDIENCE (the app client ids, comma-separated) is required when AUTH_MODE=jwt',
    ]);
  });

  it('refuse an unknown mode', () => {
    expect(problemsOf({ AUTH_MODE: 'basic' })).toEqual([
      'AUTH_MODE must be none or jwt (got "basic")',
    ]);
  });

  it.each(['http://keys.example.com/jwks.json', 'ftp://127.0.0.1/jwks', 'not a url'])(
    'refuse the JWKS URL %s: https, or plain http on this machine only',
    (url) => {
      expect(
        problemsOf({
          AUTH_MODE: 'jwt',
          AUTH_ISSUER: POOL,
          AUTH_AUDIENCE: 'a',
          AUTH_JWKS_URL: url,
        })[0],
      ).toMatch(/^AUTH_JWKS_URL must be an https URL/);
    },
  );

  it.each(['http://127.0.0.1:9000/jwks.json', 'http://localhost/jwks', 'http://[::1]:80/k'])(
    'accept the local JWKS URL %s',
    (url) => {
      const { auth } = loadConfig({
        AUTH_MODE: 'jwt',
        AUTH_ISSUER: POOL,
        AUTH_AUDIENCE: 'a',
        AUTH_JWKS_URL: url,
      });
      expect(auth).toMatchObject({ jwksUrl: url });
    },
  );

  it('with development keys need no issuer, and only on a local machine', () => {
    expect(loadConfig({ AUTH_MODE: 'jwt', AUTH_DEV_KEYS: 'true' }).auth).toMatchObject({
      issuer: DEV_TOKEN_ISSUER,
      audiences: [DEV_TOKEN_AUDIENCE],
      devKeys: true,
      jwksUrl: undefined,
    });
    expect(
      problemsOf({
        AUTH_MODE: 'jwt',
        AUTH_DEV_KEYS: 'true',
        ENVIRONMENT: 'prod',
        PHOTOS_URL: 'https://cdn.example.com',
      }),
    ).toEqual([
      'AUTH_DEV_KEYS=true trusts a development key and is refused outside ENVIRONMENT=local (got "prod")',
    ]);
    expect(problemsOf({ AUTH_MODE: 'jwt', AUTH_DEV_KEYS: 'yes' })[0]).toMatch(/true or false/);
  });
});

describe('photo settings', () => {
  it('default to the local S3 server and its bucket, serving renditions from it', () => {
    expect(loadConfig({}).photos).toEqual({
      bucket: 'userprofile-photos',
      publicUrl: 'http://127.0.0.1:4569/userprofile-photos/photos',
    });
    expect(
      loadConfig({ S3_ENDPOINT: 'http://127.0.0.1:9000/', PHOTOS_BUCKET: 'pics' }).photos,
    ).toEqual({
      bucket: 'pics',
      publicUrl: 'http://127.0.0.1:9000/pics/photos',
      s3Endpoint: 'http://127.0.0.1:9000/',
    });
  });

  it('take another port for the local S3 server, or 0 for any free one, and refuse anything else', () => {
    expect(loadConfig({}).localS3Port).toBe(4569);
    const other = loadConfig({ S3_PORT: '9100' });
    expect(other.localS3Port).toBe(9100);
    expect(other.photos.publicUrl).toBe('http://127.0.0.1:9100/userprofile-photos/photos');
    expect(loadConfig({ S3_PORT: '0' }).localS3Port).toBe(0);
    for (const bad of ['-1', '65536', 'any', '4569.5']) {
      expect(problemsOf({ S3_PORT: bad })).toEqual([
        `S3_PORT must be an integer from 0 (any free port) to 65535 (got "${bad}")`,
      ]);
    }
  });

  it('once the local S3 server listens, serve renditions from the port it took, unless PHOTOS_URL says otherwise', () => {
    const started = withLocalS3(loadConfig({ S3_PORT: '0' }), 'http://127.0.0.1:41234');
    expect(started.photos).toEqual({
      bucket: 'userprofile-photos',
      publicUrl: 'http://127.0.0.1:41234/userprofile-photos/photos',
      s3Endpoint: 'http://127.0.0.1:41234',
    });
    const given = loadConfig({ S3_PORT: '0', PHOTOS_URL: 'http://cdn.local/p' });
    expect(withLocalS3(given, 'http://127.0.0.1:41234').photos.publicUrl).toBe(
      'http://cdn.local/p',
    );
  });

  it('outside a local machine require the public URL of the renditions, and refuse bad values', () => {
    expect(problemsOf({ ENVIRONMENT: 'prod' })).toEqual([
      'PHOTOS_URL (the base URL serving photo renditions) is required outside ENVIRONMENT=local',
    ]);
    expect(
      loadConfig({ ENVIRONMENT: 'prod', PHOTOS_URL: 'https://d1.cloudfront.net' }).photos.publicUrl,
    ).toBe('https://d1.cloudfront.net');
    expect(
      problemsOf({ PHOTOS_BUCKET: 'No_Such', S3_ENDPOINT: 'ftp://x', PHOTOS_URL: 'cdn' }),
    ).toEqual([
      'PHOTOS_BUCKET must be an S3 bucket name (got "No_Such")',
      'S3_ENDPOINT must be an http(s) URL such as http://127.0.0.1:4569 (got "ftp://x")',
      'PHOTOS_URL must be an http(s) URL (got "cdn")',
    ]);
  });
});

describe('table names', () => {
  it("name the change feed's and the search's tables after TABLE_NAME locally, and none elsewhere unless given", () => {
    expect(loadConfig({ TABLE_NAME: 'Profiles' })).toMatchObject({
      tableName: 'Profiles',
      eventTableName: 'Profiles-events',
      searchTableName: 'Profiles-search',
    });
    const deployed = loadConfig({ ENVIRONMENT: 'prod', PHOTOS_URL: 'https://cdn.example.com' });
    expect(deployed.eventTableName).toBeUndefined();
    expect(deployed.searchTableName).toBeUndefined();
    expect(
      loadConfig({
        ENVIRONMENT: 'prod',
        PHOTOS_URL: 'https://cdn.example.com',
        SEARCH_TABLE_NAME: 'UserProfileSearch-prod',
      }).searchTableName,
    ).toBe('UserProfileSearch-prod');
  });

  it('refuse what DynamoDB would not take as a table name, each by its variable', () => {
    expect(problemsOf({ TABLE_NAME: 'a b', SEARCH_TABLE_NAME: 'x' })).toEqual([
      'TABLE_NAME must be 3-255 characters of A-Z a-z 0-9 _ . - (got "a b")',
      'EVENT_TABLE_NAME must be 3-255 characters of A-Z a-z 0-9 _ . - (got "a b-events")',
      'SEARCH_TABLE_NAME must be 3-255 characters of A-Z a-z 0-9 _ . - (got "x")',
    ]);
  });
});

describe("the README's configuration table", () => {
  const readme = readFileSync(join(__dirname, '../../../README.md'), 'utf8');
  const table = /## Configuration[\s\S]*?\n((?:\|.*\n)+)/.exec(readme)?.[1] ?? '';
  const rows = new Map(
    table
      .split('\n')
      .slice(2)
      .filter(Boolean)
      .map((row) => row.split('|').map((cell) => cell.trim()))
      .map(([, name = '', byDefault = '']) => [name.replace(/`/g, ''), byDefault] as const),
  );

  /** Every variable the loader reads, in both auth modes (AWS_DEFAULT_REGION is AWS's fallback). */
  function variablesRead(): string[] {
    const read = new Set<string>();
    for (const mode of ['none', 'jwt']) {
      const env = new Proxy<NodeJS.ProcessEnv>(
        { AUTH_MODE: mode, AUTH_ISSUER: POOL, AUTH_AUDIENCE: 'ios' },
        {
          get(target, name) {
            if (typeof name === 'string') read.add(name);
            return target[name as string];
          },
        },
      );
      loadConfig(env);
    }
    read.delete('AWS_DEFAULT_REGION');
    return [...read].sort();
  }

  it('has a row for every variable the service reads, and none other', () => {
    expect([...rows.keys()].sort()).toEqual(variablesRead());
  });

  it('names them as ENV_NAMES does, the names the CDK stack sets them by', () => {
    expect([...ENV_NAMES].filter((name) => name !== 'AWS_DEFAULT_REGION').sort()).toEqual(
      variablesRead(),
    );
  });

  it('prints the defaults the service uses', () => {
    const config = loadConfig({});
    const jwt = loadConfig({ AUTH_MODE: 'jwt', AUTH_ISSUER: POOL, AUTH_AUDIENCE: 'ios' });
    if (jwt.auth.mode !== 'jwt') throw new Error('jwt mode expected');
    expect({
      PORT: rows.get('PORT'),
      HOST: rows.get('HOST'),
      TABLE_NAME: rows.get('TABLE_NAME'),
      AWS_REGION: rows.get('AWS_REGION'),
      CORS_ORIGINS: rows.get('CORS_ORIGINS'),
      LOG_LEVEL: rows.get('LOG_LEVEL'),
      ENVIRONMENT: rows.get('ENVIRONMENT'),
      DATA_DIR: rows.get('DATA_DIR'),
      AUTH_MODE: rows.get('AUTH_MODE'),
      AUTH_ADMIN_GROUP: rows.get('AUTH_ADMIN_GROUP'),
      AUTH_DEV_KEYS: rows.get('AUTH_DEV_KEYS'),
      RATE_LIMIT_WRITES: rows.get('RATE_LIMIT_WRITES'),
      PHOTOS_BUCKET: rows.get('PHOTOS_BUCKET'),
      S3_PORT: rows.get('S3_PORT'),
    }).toEqual({
      PORT: `\`${config.port}\``,
      HOST: `\`${config.host}\``,
      TABLE_NAME: `\`${config.tableName}\``,
      AWS_REGION: `\`${config.region}\``,
      CORS_ORIGINS: `\`${String(config.corsOrigins)}\``,
      LOG_LEVEL: `\`${config.logLevel}\``,
      ENVIRONMENT: `\`${config.environment}\``,
      DATA_DIR: `\`${config.dataDir}\``,
      AUTH_MODE: `\`${config.auth.mode}\``,
      AUTH_ADMIN_GROUP: `\`${jwt.auth.adminGroup}\``,
      AUTH_DEV_KEYS: `\`${String(jwt.auth.devKeys)}\``,
      RATE_LIMIT_WRITES: `\`${jwt.auth.writesPerMinute}\``,
      PHOTOS_BUCKET: `\`${config.photos.bucket}\``,
      S3_PORT: `\`${config.localS3Port}\``,
    });
    for (const unset of [
      'DYNAMODB_ENDPOINT',
      'AUTH_ISSUER',
      'AUTH_AUDIENCE',
      'AUTH_JWKS',
      'S3_ENDPOINT',
    ]) {
      expect([unset, rows.get(unset)]).toEqual([unset, 'unset']);
    }
  });
});

describe('declared metadata schemas (PROFILE_SCHEMAS_FILE)', () => {
  const example = join(__dirname, '../../../docs/examples/profile-schemas.json');

  it('are none by default, and the file’s tiers when it names one', () => {
    expect(loadConfig({}).profileSchemas).toBeUndefined();
    const schemas = loadConfig({ PROFILE_SCHEMAS_FILE: example }).profileSchemas;
    expect(Object.keys(schemas ?? {})).toEqual(['metadata', 'appMetadata', 'publicMetadata']);
  });

  it('stop the start on a file that is missing or declares what it may not, naming it', () => {
    expect(problemsOf({ PROFILE_SCHEMAS_FILE: '/nowhere/schemas.json' })).toEqual([
      expect.stringMatching(
        /^PROFILE_SCHEMAS_FILE: \/nowhere\/schemas\.json: cannot read the schemas file/,
      ),
    ]);
    const readme = join(__dirname, '../package.json');
    expect(problemsOf({ PROFILE_SCHEMAS_FILE: readme })).toEqual([
      expect.stringMatching(
        /^PROFILE_SCHEMAS_FILE: .*package\.json: "name" is not a metadata tier/,
      ),
    ]);
  });
});

describe('the webhook queue', () => {
  it('is unset by default (deliveries in-process), and when set must be a queue URL', () => {
    expect(loadConfig({}).webhookQueueUrl).toBeUndefined();
    const url = 'https://sqs.eu-west-1.amazonaws.com/123456789012/userprofile-webhooks.fifo';
    expect(loadConfig({ WEBHOOK_QUEUE_URL: url }).webhookQueueUrl).toBe(url);
    expect(problemsOf({ WEBHOOK_QUEUE_URL: 'userprofile-webhooks.fifo' })).toEqual([
      expect.stringMatching(/^WEBHOOK_QUEUE_URL must be an SQS queue URL/),
    ]);
  });
});

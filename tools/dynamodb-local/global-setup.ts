/**
 * Jest global setup of the integration and e2e projects: finds how DynamoDB Local is had, once
 * per run, and announces it on the console:
 *   1. DYNAMODB_ENDPOINT, when set (a DynamoDB Local of your own, shared by every test file);
 *   2. a container started by testcontainers from the image tools/dynamodb-local/build-image.sh
 *      builds on this machine (built here), when a Docker engine answers;
 *   3. `java -jar` DynamoDB Local from the npm package amplify-dynamodb-simulator.
 * DYNAMODB_LOCAL=testcontainers|java forces one path (CI forces testcontainers). When no path
 * works the run fails with what to install: integration tests never skip.
 *
 * On paths 2 and 3 each test file gets a DynamoDB Local of its own (per-file.ts): DynamoDB Local
 * keeps every stream record of every table, deleted ones too, and each write looks its shard up
 * at a cost that grows with them (a put measured 5 ms on a fresh instance, 42 ms after 30,000
 * records), so one instance for the whole run slowed its last tests past their deadlines.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { javaAvailable, NO_JAVA_MESSAGE } from '@userprofile/local-servers';
import { ENDPOINT_VARIABLE, IMAGE_VARIABLE, PATH_VARIABLE, startFresh } from './per-file-instance';

function say(message: string): void {
  process.stdout.write(`\n[dynamodb-local] ${message}\n`);
}

function dockerAnswers(): boolean {
  try {
    execFileSync('docker', ['info', '--format', '{{.ServerVersion}}'], {
      stdio: 'ignore',
      timeout: 10_000,
    });
    return true;
  } catch {
    return false;
  }
}

export default async function globalSetup(): Promise<void> {
  // The integration and e2e projects both name this setup: the first decides for both.
  if (process.env[PATH_VARIABLE]) return;
  const forced = process.env.DYNAMODB_LOCAL ?? 'auto';
  if (process.env.DYNAMODB_ENDPOINT && forced === 'auto') {
    process.env[ENDPOINT_VARIABLE] = process.env.DYNAMODB_ENDPOINT;
    process.env[PATH_VARIABLE] = 'endpoint';
    say(`path: DYNAMODB_ENDPOINT=${process.env.DYNAMODB_ENDPOINT}, shared by every test file`);
    return;
  }
  if (forced === 'testcontainers' || (forced === 'auto' && dockerAnswers())) {
    if (!dockerAnswers()) {
      throw new Error(
        'DYNAMODB_LOCAL=testcontainers, but no Docker engine answers (start dockerd).',
      );
    }
    process.env[IMAGE_VARIABLE] = execFileSync('bash', [join(__dirname, 'build-image.sh')], {
      encoding: 'utf8',
    }).trim();
    process.env[PATH_VARIABLE] = 'testcontainers';
  } else if (forced === 'java' || (forced === 'auto' && javaAvailable())) {
    process.env[PATH_VARIABLE] = 'java';
  } else {
    throw new Error(
      `Integration tests need DynamoDB Local and none could be started. Either start a Docker engine, or ${NO_JAVA_MESSAGE}`,
    );
  }
  // One started now proves the path works before any test runs, and says what it costs.
  const probe = await startFresh();
  say(`path: ${probe.description}, a fresh one per test file`);
  await probe.stop();
}

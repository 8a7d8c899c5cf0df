/**
 * The test environment of the integration and e2e projects: Node's, plus a DynamoDB Local of the
 * test file's own, empty, started before the file's first hook and stopped after its last (a
 * setup file's `afterAll` would run before the file's own). global-setup.ts says why one per
 * file; with DYNAMODB_ENDPOINT every file shares that one.
 */
import { TestEnvironment } from 'jest-environment-node';
import { ENDPOINT_VARIABLE, PATH_VARIABLE, startFresh } from './per-file-instance';

export default class DynamoDbLocalEnvironment extends TestEnvironment {
  private stopInstance: (() => Promise<void>) | undefined;

  override async setup(): Promise<void> {
    await super.setup();
    if (process.env[PATH_VARIABLE] === 'endpoint') return;
    const instance = await startFresh();
    this.stopInstance = instance.stop;
    // The test's `process.env` is a copy made with the environment: set it there.
    this.global.process.env[ENDPOINT_VARIABLE] = instance.endpoint;
  }

  override async teardown(): Promise<void> {
    await this.stopInstance?.();
    await super.teardown();
  }
}

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Records whether s3rver was required: jest calls a mock's factory when the module is first loaded.
let mockS3rverLoaded = false;
jest.mock('s3rver', () => {
  mockS3rverLoaded = true;
  return jest.requireActual<object>('s3rver');
});

describe('@userprofile/local-servers', () => {
  it('loads s3rver only when the local S3 server is started (ADR 0029)', async () => {
    const { startLocalS3 } = await import('./index');
    // A server given a real S3 endpoint never starts it, and holds none of its ~280 modules.
    expect(mockS3rverLoaded).toBe(false);

    const directory = mkdtempSync(join(tmpdir(), 'local-s3-'));
    try {
      const s3 = await startLocalS3({ directory, bucket: 'lazy', port: 0 });
      expect(mockS3rverLoaded).toBe(true);
      await s3.stop();
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});

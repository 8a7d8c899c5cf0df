import { startCommandNodeFlags } from './start-command';

describe('the start command', () => {
  it('runs the server with a heap ceiling, V8 allocation-site pretenuring off (ADR 0026), and no source maps (ADR 0028)', () => {
    // Pretenuring moved a GET's short-lived objects to the old generation under concurrent
    // requests: 2.5 times the mark-compacts and about 15 % more CPU per GET, measured.
    // Source maps: Node parses the bundle's whole map at start, 85 MB more RSS, measured.
    expect(startCommandNodeFlags()).toEqual([
      '--max-old-space-size=384',
      '--max-semi-space-size=16',
      '--no-allocation-site-pretenuring',
    ]);
  });
});

import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

/**
 * fauxqs (an SQS emulator in Node, ES modules only) in a child process, on a free port: what it
 * enforces and what it does not is in ADR 0016. Answers its endpoint and a way to stop it.
 */
export async function startSqsEmulator(): Promise<{ endpoint: string; stop(): Promise<void> }> {
  const child: ChildProcess = spawn(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      "const { startFauxqs } = await import('fauxqs'); const s = await startFauxqs({ port: 0, logger: false }); console.log('port ' + s.port);",
    ],
    // fauxqs resolves from this package's node_modules.
    { cwd: join(__dirname, '../..'), stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /port (\d+)/.exec(out);
      if (match) resolve(Number(match[1]));
    });
    child.on('exit', (code) => reject(new Error(`the SQS emulator exited (${code})`)));
  });
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill();
      }),
  };
}

import pinoPretty from 'pino-pretty';

/**
 * Where the local server writes its log: on a terminal, pino-pretty's lines for a person to read
 * (time, level, message, then the fields), formatted in this process as each line is written (no
 * worker thread); otherwise `undefined`, pino's JSON lines on standard output for tools.
 * Personal data is blanked before either (`privateLoggerOptions`).
 */
export function localLogStream(
  stdout: { readonly isTTY?: boolean } = process.stdout,
): { write(line: string): void } | undefined {
  if (!stdout.isTTY) return undefined;
  return pinoPretty({
    colorize: true,
    translateTime: 'SYS:HH:MM:ss.l',
    ignore: 'pid,hostname',
    sync: true,
  });
}

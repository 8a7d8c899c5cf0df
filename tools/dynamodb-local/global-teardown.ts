export default async function globalTeardown(): Promise<void> {
  // Called once per project that set it up (integration, e2e): the first call stops it.
  const stop = globalThis.__dynamoDbLocalStop;
  globalThis.__dynamoDbLocalStop = undefined;
  await stop?.();
}

import type helmetHeaders from 'helmet';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** Security headers fitted to a JSON API: nothing may be loaded, framed or sniffed. */
export const SECURITY_HEADERS = {
  contentSecurityPolicy: {
    useDefaults: false,
    directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] },
  },
  frameguard: { action: 'deny' as const },
};
/**
 * The same headers for the answers Fastify gives before routing (a malformed or too long URL).
 * Required, not imported: @fastify/helmet requires helmet's CommonJS build, and an import would
 * bundle its ES module build as a second copy.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const securityHeaders = (require('helmet') as { default: typeof helmetHeaders }).default(
  SECURITY_HEADERS,
);

let values: Record<string, string> | undefined;
/**
 * The security headers as name and value: for answers written straight to a socket, and for the
 * answers API Gateway gives by itself (its gateway responses, in the CDK stack).
 */
export const securityHeaderValues = (): Readonly<Record<string, string>> => {
  if (!values) {
    const found: Record<string, string> = {};
    const capture = {
      setHeader: (name: string, value: string) => (found[name.toLowerCase()] = String(value)),
      removeHeader: (name: string) => delete found[name.toLowerCase()],
    };
    securityHeaders({} as IncomingMessage, capture as unknown as ServerResponse, () => undefined);
    values = found;
  }
  return values;
};

import type helmetHeaders from 'helmet';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** Security headers fitted to a JSON API: nothing may be loaded, framed or sniffed. */
const SECURITY_HEADERS = {
  contentSecurityPolicy: {
    useDefaults: false,
    directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] },
  },
  frameguard: { action: 'deny' as const },
};

let values: Record<string, string> | undefined;
/**
 * The security headers as name and value, as helmet sets them for SECURITY_HEADERS, computed once:
 * for every answer of the app, the answers written straight to a socket, and the answers API
 * Gateway gives by itself (its gateway responses, in the CDK stack).
 */
export const securityHeaderValues = (): Readonly<Record<string, string>> => {
  if (!values) {
    const found: Record<string, string> = {};
    const capture = {
      setHeader: (name: string, value: string) => (found[name.toLowerCase()] = String(value)),
      removeHeader: (name: string) => delete found[name.toLowerCase()],
    };
    // Required, not imported: the CommonJS build, which its types describe as `default`.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const helmet = (require('helmet') as { default: typeof helmetHeaders }).default;
    helmet(SECURITY_HEADERS)({} as IncomingMessage, capture as unknown as ServerResponse, () => {});
    values = found;
  }
  return values;
};

/**
 * The largest request body the app reads, in bytes (Fastify's `bodyLimit`); the WAF in front of
 * the API refuses larger bodies at this same limit (infra-cdk profile-firewall.ts).
 */
export const BODY_LIMIT_BYTES = 64 * 1024;

import type { FastifyRequest } from 'fastify';

class UnsupportedMediaType extends Error {
  readonly statusCode = 415;
}

/** Refuses a body of another media type than `allowed` with 415 (parameters such as charset are fine). */
export function requireMediaType(request: FastifyRequest, allowed: readonly string[]): void {
  const mediaType = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (!mediaType || !allowed.includes(mediaType)) {
    throw new UnsupportedMediaType(`Content-Type must be ${allowed.join(' or ')}.`);
  }
}

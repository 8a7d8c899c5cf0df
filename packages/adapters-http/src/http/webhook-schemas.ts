import { documented } from './request-schemas';
import { CACHE_CONTROL_HEADER, problems } from './schema-parts';
import { Webhook, WebhookList, WebhookRequestDto, WebhookWithSecret } from './webhook-dto';

// The webhook administration's part of the document (administrators only).

const SIGNING =
  'Deliveries follow the Standard Webhooks specification: a POST of `{type, timestamp, data: <the event>}` with `webhook-id` (the event id, the same on every retry), `webhook-timestamp` and `webhook-signature: v1,<base64 HMAC-SHA256 of "id.timestamp.body">` (one per secret during a rotation). Each profile’s events arrive in order; a delivery is retried on failure or any answer but 2xx for about 27 hours, then the endpoint is marked `failing`.';

export const WEBHOOK_NAMED_SCHEMAS = [
  documented(WebhookRequestDto, {
    $id: 'WebhookRequest',
    description:
      'Where to send events (https; no private, loopback, link-local or metadata address, checked again after DNS resolution at each delivery), and which types.',
    properties: { types: { description: 'Only these event types; every type when absent.' } },
  }),
  documented(
    Webhook,
    { $id: 'Webhook', description: `A webhook endpoint, without its secrets. ${SIGNING}` },
    'response',
  ),
  documented(
    WebhookWithSecret,
    {
      $id: 'WebhookWithSecret',
      description: 'The endpoint and its signing secret (`whsec_<base64>`): shown this once only.',
    },
    'response',
  ),
  documented(
    WebhookList,
    { $id: 'WebhookList', description: 'Every endpoint, oldest first.' },
    'response',
  ),
] as const;

const json = (schema: string, description: string) => ({
  description,
  headers: { 'Cache-Control': CACHE_CONTROL_HEADER },
  content: { 'application/json': { schema: { $ref: `${schema}#` } } },
});

const webhookIdParams = {
  type: 'object',
  required: ['webhookId'],
  properties: {
    webhookId: { type: 'string', pattern: '^[0-9a-fA-F-]{36}$', description: 'The endpoint id.' },
  },
} as const;

const byId = (operationId: string, summary: string, answer: string, description: string) => ({
  operationId,
  summary,
  description: `${description} Administrators only.`,
  tags: ['webhooks'],
  params: webhookIdParams,
  response: { 200: json(answer, description), ...problems(401, 403, 404, 503) },
});

export const webhookRouteSchemas = {
  createWebhook: {
    operationId: 'createWebhook',
    summary: 'Register a webhook endpoint (admins only)',
    description: SIGNING,
    tags: ['webhooks'],
    body: { $ref: 'WebhookRequest#' },
    response: {
      201: json('WebhookWithSecret', 'The endpoint, and its secret (shown once).'),
      ...problems(400, 401, 403, 413, 415, 503),
    },
  },
  listWebhooks: {
    operationId: 'listWebhooks',
    summary: 'List webhook endpoints (admins only)',
    description:
      'Every endpoint, oldest first, with its state (`failing` after a day of failed deliveries); never the secrets.',
    tags: ['webhooks'],
    response: { 200: json('WebhookList', 'Every endpoint.'), ...problems(401, 403, 503) },
  },
  rotateWebhookSecret: byId(
    'rotateWebhookSecret',
    'Rotate an endpoint’s secret (admins only)',
    'WebhookWithSecret',
    'The new secret (shown once); the previous one keeps signing beside it until the next rotation.',
  ),
  disableWebhook: byId(
    'disableWebhook',
    'Stop deliveries to an endpoint (admins only)',
    'Webhook',
    'The endpoint, disabled.',
  ),
  enableWebhook: byId(
    'enableWebhook',
    'Resume deliveries to an endpoint, a failing one too (admins only)',
    'Webhook',
    'The endpoint, enabled. Events it missed are in `GET /events`.',
  ),
  deleteWebhook: {
    operationId: 'deleteWebhook',
    summary: 'Delete a webhook endpoint (admins only)',
    description: 'Deliveries to it stop; events stay in `GET /events` for their 14 days.',
    tags: ['webhooks'],
    params: webhookIdParams,
    response: { 204: { type: 'null', description: 'Deleted.' }, ...problems(401, 403, 404, 503) },
  },
} as const;

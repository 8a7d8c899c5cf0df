import { Suspension, SuspensionHistory } from './response-dto';
import { documented } from './request-schemas';
import { CACHE_CONTROL_HEADER, problems, userIdParams } from './schema-parts';
import { SuspensionRequestDto } from './suspension-dto';

// The suspension routes' part of the document (administrators only).

/** The body of `PUT /users/{userId}/suspension`. */
const suspensionRequestSchema = documented(SuspensionRequestDto, {
  $id: 'SuspensionRequest',
  description: 'Why the account is suspended, and until when (absent: until lifted).',
  properties: {
    note: { description: 'For other administrators; no personal data belongs here.' },
    until: { description: 'In the future; the suspension lifts by itself then.' },
  },
});

const suspensionSchema = documented(
  Suspension,
  {
    $id: 'Suspension',
    description:
      'One suspension of a subject: why, by whom (an administrator’s subject), when, until when, and who lifted it when. One that reached `until` has no `liftedAt`.',
  },
  'response',
);

const suspensionHistorySchema = documented(
  SuspensionHistory,
  {
    $id: 'SuspensionHistory',
    description:
      'Every suspension of the subject, oldest first (the last 100), kept when the profile is deleted.',
  },
  'response',
);

export const SUSPENSION_NAMED_SCHEMAS = [
  suspensionRequestSchema,
  suspensionSchema,
  suspensionHistorySchema,
] as const;

const json = (schema: string, description: string) => ({
  description,
  headers: { 'Cache-Control': CACHE_CONTROL_HEADER },
  content: { 'application/json': { schema: { $ref: `${schema}#` } } },
});

const ADMINS_ONLY =
  'Administrators only: anyone else gets 403 for their own id and 404 for another’s. The suspension belongs to the subject (the token subject, which is the profile id), not to the profile: it applies whether or not a profile exists, and outlives its deletion.';

export const suspensionRouteSchemas = {
  suspend: {
    operationId: 'suspendAccount',
    summary: 'Suspend an account (admins only)',
    description: `The owner may then only read and delete their profile; every other write of theirs is 403 ACCOUNT_SUSPENDED, whose problem says \`until\`. A suspension in force is ended and replaced. ${ADMINS_ONLY}`,
    tags: ['suspensions'],
    params: userIdParams,
    body: { $ref: 'SuspensionRequest#' },
    response: {
      200: json('Suspension', 'The suspension now in force.'),
      ...problems(400, 401, 403, 404, 413, 415, 429, 503),
    },
  },
  liftSuspension: {
    operationId: 'liftSuspension',
    summary: 'Lift an account’s suspension early (admins only)',
    description: `Nothing in force is no error. ${ADMINS_ONLY}`,
    tags: ['suspensions'],
    params: userIdParams,
    response: {
      204: { type: 'null', description: 'No suspension is in force now.' },
      ...problems(401, 403, 404, 429, 503),
    },
  },
  suspensions: {
    operationId: 'listSuspensions',
    summary: 'An account’s suspension history (admins only)',
    description: ADMINS_ONLY,
    tags: ['suspensions'],
    params: userIdParams,
    response: {
      200: json('SuspensionHistory', 'Every suspension of the subject, oldest first.'),
      ...problems(401, 403, 404, 503),
    },
  },
} as const;

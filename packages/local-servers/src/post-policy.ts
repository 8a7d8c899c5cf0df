import { createHmac, timingSafeEqual } from 'node:crypto';

/** A browser-based upload (POST Object) as S3 receives it: its form fields and the file's size. */
export interface PostUpload {
  readonly bucket: string;
  /** Every form field but the file, as sent (S3 matches names case-insensitively). */
  readonly fields: Readonly<Record<string, string>>;
  readonly fileSize: number;
}

export type PolicyVerdict =
  | { readonly ok: true }
  | {
      readonly ok: false;
      readonly status: 400 | 403;
      readonly code: string;
      readonly message: string;
    };

const refused = (status: 400 | 403, code: string, message: string) =>
  ({ ok: false, status, code, message }) as const;
const refuse = (status: 400 | 403, code: string, message: string): PolicyVerdict =>
  refused(status, code, message);

/** Fields S3 does not hold to the policy's conditions. */
const UNCONDITIONED = new Set(['policy', 'x-amz-signature', 'file']);

/**
 * What S3 checks of a POST upload signed with Signature Version 4, as its documentation states
 * ("Creating a POST policy", "Calculating a signature"): the signature of the policy with the
 * signer's key, the policy's expiration, and every condition, each form field being matched by
 * one (but `x-amz-signature`, `policy`, `file` and `x-ignore-*`). Used by the local S3 server,
 * which stores what it is sent and checks none of this itself.
 */
export function checkPostPolicy(
  upload: PostUpload,
  secretOf: (accessKeyId: string) => string | undefined,
  now: Date = new Date(),
): PolicyVerdict {
  const fields = new Map(Object.entries(upload.fields).map(([k, v]) => [k.toLowerCase(), v]));
  const signed = checkSignature(fields, secretOf);
  if (!signed.ok) return signed;
  let policy: { expiration?: string; conditions?: unknown[] };
  try {
    policy = JSON.parse(Buffer.from(signed.policy, 'base64').toString('utf8')) as typeof policy;
  } catch {
    return refuse(400, 'InvalidPolicyDocument', 'Invalid Policy: Invalid JSON.');
  }
  const expiration = Date.parse(policy.expiration ?? '');
  if (!Number.isFinite(expiration) || expiration <= now.getTime()) {
    return refuse(403, 'AccessDenied', 'Invalid according to Policy: Policy expired.');
  }
  const conditioned = new Set<string>();
  const value = (name: string) => (name === 'bucket' ? upload.bucket : fields.get(name));
  for (const condition of policy.conditions ?? []) {
    const verdict = Array.isArray(condition)
      ? checkListCondition(condition as [string, unknown, unknown], upload, value, conditioned)
      : checkObjectCondition(condition, value, conditioned);
    if (!verdict.ok) return verdict;
  }
  for (const name of fields.keys()) {
    if (!UNCONDITIONED.has(name) && !name.startsWith('x-ignore-') && !conditioned.has(name)) {
      return refuse(
        403,
        'AccessDenied',
        `Invalid according to Policy: Extra input fields: ${name}`,
      );
    }
  }
  return OK;
}

const OK: PolicyVerdict = { ok: true };

/** The policy's signature by the signer's Signature Version 4 key; the policy when it holds. */
function checkSignature(
  fields: Map<string, string>,
  secretOf: (accessKeyId: string) => string | undefined,
): { ok: true; policy: string } | Exclude<PolicyVerdict, { ok: true }> {
  const policyText = fields.get('policy');
  const signature = fields.get('x-amz-signature');
  const credential = fields.get('x-amz-credential');
  if (
    !policyText ||
    !signature ||
    !credential ||
    fields.get('x-amz-algorithm') !== 'AWS4-HMAC-SHA256'
  ) {
    return refused(
      403,
      'AccessDenied',
      'Policy, X-Amz-Signature, X-Amz-Credential and X-Amz-Algorithm=AWS4-HMAC-SHA256 are required',
    );
  }
  const [accessKeyId = '', date = '', region = '', service = ''] = credential.split('/');
  const secret = secretOf(accessKeyId);
  if (secret === undefined) {
    return refused(
      403,
      'InvalidAccessKeyId',
      'The AWS Access Key Id you provided does not exist in our records.',
    );
  }
  // Signature Version 4's signing key: the secret, then the date, region and service in turn.
  const key = [date, region, service, 'aws4_request'].reduce<Buffer>(
    (k, part) => createHmac('sha256', k).update(part).digest(),
    Buffer.from(`AWS4${secret}`),
  );
  const expected = createHmac('sha256', key).update(policyText).digest('hex');
  if (
    expected.length !== signature.length ||
    !timingSafeEqual(Buffer.from(expected), Buffer.from(signature))
  ) {
    return refused(
      403,
      'SignatureDoesNotMatch',
      'The request signature we calculated does not match the signature you provided.',
    );
  }
  return { ok: true, policy: policyText };
}

/** `["content-length-range", min, max]`, `["eq", "$field", value]`, `["starts-with", ...]`. */
function checkListCondition(
  [operator, first, second]: [string, unknown, unknown],
  upload: PostUpload,
  value: (name: string) => string | undefined,
  conditioned: Set<string>,
): PolicyVerdict {
  if (operator === 'content-length-range') {
    const [min, max] = [Number(first), Number(second)];
    if (upload.fileSize > max) {
      return refuse(400, 'EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size');
    }
    if (upload.fileSize < min) {
      return refuse(
        400,
        'EntityTooSmall',
        'Your proposed upload is smaller than the minimum allowed size',
      );
    }
    return OK;
  }
  const name = String(first).replace(/^\$/, '').toLowerCase();
  conditioned.add(name);
  const actual = value(name) ?? '';
  const holds =
    operator === 'eq'
      ? actual === String(second)
      : operator === 'starts-with'
        ? actual.startsWith(String(second))
        : false;
  return holds
    ? OK
    : refuse(
        403,
        'AccessDenied',
        `Invalid according to Policy: Policy Condition failed: ["${operator}", "$${name}", "${String(second)}"]`,
      );
}

/** `{"field": "value"}`: each an exact match. */
function checkObjectCondition(
  condition: unknown,
  value: (name: string) => string | undefined,
  conditioned: Set<string>,
): PolicyVerdict {
  if (!condition || typeof condition !== 'object') return OK;
  for (const [rawName, expectedValue] of Object.entries(condition)) {
    const name = rawName.toLowerCase();
    conditioned.add(name);
    if (value(name) !== String(expectedValue)) {
      return refuse(
        403,
        'AccessDenied',
        `Invalid according to Policy: Policy Condition failed: ["eq", "$${name}", "${String(expectedValue)}"]`,
      );
    }
  }
  return OK;
}

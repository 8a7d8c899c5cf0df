import { requestedAccess } from '@userprofile/adapters-dynamo/access';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The resources of a synthesized template, as `cdk synth` writes them. */
export interface CfnTemplate {
  Resources: Record<string, { Type: string; Properties: Record<string, unknown> }>;
}

/** An IAM statement with its intrinsics resolved. */
export interface Statement {
  readonly effect: 'Allow' | 'Deny';
  readonly actions: readonly string[];
  readonly resources: readonly string[];
}

export const TEST_ACCOUNT = '000000000000';
const TEST_REGION = 'us-east-1';
const tableArn = (name: string) => `arn:aws:dynamodb:${TEST_REGION}:${TEST_ACCOUNT}:table/${name}`;

const asList = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);

/**
 * Every statement of the policies attached to a function's role (its inline `Policies` and each
 * `AWS::IAM::Policy` naming it), with CloudFormation intrinsics resolved: the template's table is
 * `tableName` in the test account and region (or, with several tables, each is the test table
 * `tableName` gives for the name the template gives it). Managed policies grant no DynamoDB access.
 */
export function rolePolicyOf(
  template: CfnTemplate,
  functionName: string,
  tableName: string | Readonly<Record<string, string>>,
): Statement[] {
  const resources = template.Resources;
  const [, fn] =
    Object.entries(resources).find(
      ([, r]) => r.Type === 'AWS::Lambda::Function' && r.Properties.FunctionName === functionName,
    ) ?? [];
  if (!fn) throw new Error(`no function ${functionName} in the template`);
  const roleId = (fn.Properties.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
  const resolve = (value: unknown): string => {
    if (typeof value === 'string') return value;
    const v = value as Record<string, unknown>;
    if ('Ref' in v) {
      const pseudo: Record<string, string> = {
        'AWS::Partition': 'aws',
        'AWS::Region': TEST_REGION,
        'AWS::AccountId': TEST_ACCOUNT,
        'AWS::URLSuffix': 'amazonaws.com',
      };
      return pseudo[v.Ref as string] ?? `unresolved:${String(v.Ref)}`;
    }
    if ('Fn::GetAtt' in v) {
      const [id, attribute] = v['Fn::GetAtt'] as [string, string];
      const table = resources[id];
      if (table?.Type !== 'AWS::DynamoDB::Table' || attribute !== 'Arn') {
        return `unresolved:${id}.${attribute}`;
      }
      if (typeof tableName === 'string') return tableArn(tableName);
      const named = tableName[String(table.Properties.TableName)];
      return named ? tableArn(named) : `unresolved:${id}.${attribute}`;
    }
    if ('Fn::Join' in v) {
      const [separator, parts] = v['Fn::Join'] as [string, unknown[]];
      return parts.map(resolve).join(separator);
    }
    return `unresolved:${JSON.stringify(v)}`;
  };
  const documents = [
    ...asList(resources[roleId]?.Properties.Policies).map(
      (p) => (p as { PolicyDocument: unknown }).PolicyDocument,
    ),
    ...Object.values(resources)
      .filter(
        (r) =>
          r.Type === 'AWS::IAM::Policy' &&
          asList(r.Properties.Roles).some((ref) => (ref as { Ref?: string }).Ref === roleId),
      )
      .map((r) => r.Properties.PolicyDocument),
  ] as { Statement: unknown }[];
  return documents.flatMap((d) =>
    asList(d.Statement).map((s) => {
      const st = s as { Effect: 'Allow' | 'Deny'; Action: unknown; Resource: unknown };
      return {
        effect: st.Effect,
        actions: asList(st.Action).map(resolve),
        resources: asList(st.Resource).map(resolve),
      };
    }),
  );
}

/** IAM's wildcards: `*` any run of characters, `?` one; case-insensitive for actions. */
function matches(pattern: string, value: string, ignoreCase = false): boolean {
  const source = pattern
    .split('')
    .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`, ignoreCase ? 'i' : '').test(value);
}

/** A grant a request used: the action and resource pattern of the statement that allowed it. */
export interface Use {
  readonly action: string;
  readonly resource: string;
}

interface Decision {
  readonly allowed: boolean;
  /** What allowed it, one per matching action/resource pattern pair of an Allow statement. */
  readonly uses: readonly Use[];
}

/** IAM's evaluation for one identity policy: an explicit Deny wins, then any Allow, else denied. */
function evaluate(statements: readonly Statement[], action: string, resource: string): Decision {
  const hit = (s: Statement) =>
    s.actions.some((a) => matches(a, action, true)) &&
    s.resources.some((r) => matches(r, resource));
  if (statements.some((s) => s.effect === 'Deny' && hit(s))) return { allowed: false, uses: [] };
  const uses = statements
    .filter((s) => s.effect === 'Allow' && hit(s))
    .flatMap((s) =>
      s.actions
        .filter((a) => matches(a, action, true))
        .flatMap((a) =>
          s.resources.filter((r) => matches(r, resource)).map((r) => ({ action: a, resource: r })),
        ),
    );
  return { allowed: uses.length > 0, uses };
}

/**
 * A DynamoDB endpoint in front of DynamoDB Local that authorises every request as IAM would for
 * one role: each action it asks for (each item of a transaction on its own, a query of an index on
 * `<table>/index/<name>`) must be allowed by the role's statements, or it answers what DynamoDB
 * answers, HTTP 400 `AccessDeniedException`, and forwards nothing.
 */
export class IamEnforcingProxy {
  private constructor(
    private readonly server: Server,
    readonly endpoint: string,
    /** The grants allowed requests used. */
    readonly uses: Use[],
    /** Each denied action, with its resource. */
    readonly denials: string[],
  ) {}

  static async start(
    upstream: string,
    statements: readonly Statement[],
    principal: string,
  ): Promise<IamEnforcingProxy> {
    const target = new URL(upstream);
    const uses: Use[] = [];
    const denials: string[] = [];
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks);
        const operation = String(req.headers['x-amz-target'] ?? '').split('.')[1] ?? '';
        let input: Record<string, unknown> = {};
        try {
          input = JSON.parse(body.toString('utf8') || '{}') as Record<string, unknown>;
        } catch {
          // DynamoDB Local answers a malformed body itself
        }
        for (const access of requestedAccess(operation, input)) {
          const resource =
            tableArn(access.tableName) + (access.indexName ? `/index/${access.indexName}` : '');
          const decision = evaluate(statements, access.action, resource);
          if (!decision.allowed) {
            const message = `User: ${principal} is not authorized to perform: ${access.action} on resource: ${resource} because no identity-based policy allows the ${access.action} action`;
            denials.push(`${access.action} on ${resource}`);
            res.writeHead(400, {
              'content-type': 'application/x-amz-json-1.0',
              'x-amzn-requestid': 'iam-enforcing-proxy',
            });
            res.end(
              JSON.stringify({
                __type: 'com.amazon.coral.service#AccessDeniedException',
                Message: message,
              }),
            );
            return;
          }
          uses.push(...decision.uses);
        }
        const forwarded = httpRequest(
          {
            host: target.hostname,
            port: target.port,
            method: req.method,
            path: req.url,
            headers: { ...req.headers, host: target.host },
          },
          (upstreamRes) => {
            res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers);
            upstreamRes.pipe(res);
          },
        );
        forwarded.on('error', () => {
          res.writeHead(502);
          res.end();
        });
        forwarded.end(body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    return new IamEnforcingProxy(server, `http://127.0.0.1:${port}`, uses, denials);
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

import { PRICES, SECONDS_PER_MONTH, WORKLOAD } from './cost-prices';
import { OPERATIONS, type Operation } from './profile-functions';

interface Resource {
  Type: string;
  Properties?: Record<string, unknown>;
}
/** A synthesized template, as far as the model reads it. */
export interface CostTemplate {
  Resources: Record<string, Resource>;
}

/** What the model reads from the template: every figure below follows from these and the prices. */
export interface TemplateSettings {
  /** Memory (MB) and architecture of each API function. */
  functions: Record<Operation, { memoryMb: number; arm: boolean; logLevel: string }>;
  tracing: boolean;
  executionLogLevel: string;
  accessLogBytes: number;
  logRetentionDays: number;
  wafRules: number | undefined;
  alarmMetrics: number;
  alarms: number;
  dashboards: number;
  kmsKeys: number;
  /** Auto scaling's target utilisation (%) when provisioned; 70, CDK's and the seeds', otherwise. */
  targetUtilisation: number;
  /** Memory (MB) of the change feed's stream function; none: no change feed deployed. */
  changeFeedMemoryMb: number | undefined;
  /** Memory (MB) of the webhook function; none: no webhook delivery deployed. */
  webhookMemoryMb: number | undefined;
}

const ofType = (t: CostTemplate, type: string) =>
  Object.values(t.Resources)
    .filter((r) => r.Type === type)
    .map((r) => r.Properties ?? {});

/** Reads the settings the costs depend on from a synthesized template. */
export function readSettings(t: CostTemplate): TemplateSettings {
  const fns = ofType(t, 'AWS::Lambda::Function');
  const functions = Object.fromEntries(
    (Object.keys(OPERATIONS) as Operation[]).map((op) => {
      const fn = fns.find((f) => String(f.FunctionName).endsWith(`-${OPERATIONS[op].name}`));
      if (!fn) throw new Error(`no function for ${op}`);
      const env = (fn.Environment as { Variables: Record<string, unknown> }).Variables;
      const arm = (fn.Architectures as string[] | undefined)?.[0] === 'arm64';
      return [op, { memoryMb: fn.MemorySize as number, arm, logLevel: String(env.LOG_LEVEL) }];
    }),
  ) as TemplateSettings['functions'];
  const [stage] = ofType(t, 'AWS::ApiGateway::Stage');
  const method = (stage?.MethodSettings as Record<string, unknown>[] | undefined)?.[0] ?? {};
  const format = (stage?.AccessLogSetting as { Format?: string } | undefined)?.Format ?? '';
  const [acl] = ofType(t, 'AWS::WAFv2::WebACL');
  const alarms = ofType(t, 'AWS::CloudWatch::Alarm');
  const [policy] = ofType(t, 'AWS::ApplicationAutoScaling::ScalingPolicy');
  const streamFn = fns.find((f) => String(f.FunctionName).endsWith('-change-feed'));
  const webhookFn = fns.find((f) => String(f.FunctionName).endsWith('-change-feed-webhooks'));
  return {
    changeFeedMemoryMb: streamFn?.MemorySize as number | undefined,
    webhookMemoryMb: webhookFn?.MemorySize as number | undefined,
    functions,
    tracing: stage?.TracingEnabled === true,
    executionLogLevel: String(method.LoggingLevel ?? 'OFF'),
    accessLogBytes: format.length,
    logRetentionDays: Number(ofType(t, 'AWS::Logs::LogGroup')[0]?.RetentionInDays ?? 30),
    wafRules: acl ? (acl.Rules as unknown[]).length : undefined,
    // A metric-math alarm is billed per metric it reads.
    alarmMetrics: alarms
      .map(
        (a) =>
          (a.Metrics as { MetricStat?: unknown }[] | undefined)?.filter((m) => m.MetricStat)
            .length ?? 1,
      )
      .reduce((a, b) => a + b, 0),
    alarms: alarms.length,
    dashboards: ofType(t, 'AWS::CloudWatch::Dashboard').length,
    kmsKeys: ofType(t, 'AWS::KMS::Key').length,
    targetUtilisation:
      (policy?.TargetTrackingScalingPolicyConfiguration as { TargetValue?: number } | undefined)
        ?.TargetValue ?? 70,
  };
}

/** Tiered pricing of a monthly quantity (millions of requests, GB). */
function tiered(quantity: number, tiers: readonly { upTo: number; usd: number }[]): number {
  let cost = 0;
  let from = 0;
  for (const { upTo, usd } of tiers) {
    const inTier = Math.max(0, Math.min(quantity, upTo) - from);
    cost += inTier * usd;
    from = upTo;
  }
  return cost;
}

const mix = Object.entries(WORKLOAD.mix) as [Operation, (typeof WORKLOAD.mix)[Operation]][];

/** The month's cost of each part at a steady rate, and the levers' alternatives. */
export function monthlyCosts(s: TemplateSettings, rps: number) {
  const requests = rps * SECONDS_PER_MONTH;
  const millions = requests / 1e6;
  const rru = mix.reduce((a, [, m]) => a + m.share * m.rru, 0) * rps;
  const wru = mix.reduce((a, [, m]) => a + m.share * m.wru, 0) * rps;
  const gbSeconds = mix.reduce(
    (a, [op, m]) =>
      a +
      m.share *
        (m.billedMs / 1000) *
        (s.functions[op].memoryMb / 1024) *
        (s.functions[op].arm ? PRICES.lambdaArmGbSecond : PRICES.lambdaX86GbSecond),
    0,
  );
  const appLogShare = mix.reduce(
    (a, [op, m]) => a + (s.functions[op].logLevel === 'info' ? m.share : 0),
    0,
  );
  const logBytes = (level: 'template' | 'warn') =>
    WORKLOAD.platformLogBytes +
    s.accessLogBytes +
    (s.executionLogLevel === 'INFO' ? WORKLOAD.executionLogBytesAtInfo : 0) +
    (level === 'template' ? appLogShare * WORKLOAD.appLogBytesAtInfo : 0);
  const logs = (bytes: number) => {
    const gb = (bytes * requests) / 1e9;
    return (
      gb * PRICES.logsIngestGb +
      gb * (Math.min(s.logRetentionDays, 30) / 30) * PRICES.logsStoreGbMonth
    );
  };
  const traces = (rate: number) =>
    (WORKLOAD.xrayReservoirPerSecond + rate * Math.max(0, rps - WORKLOAD.xrayReservoirPerSecond)) *
    SECONDS_PER_MONTH;
  const views = requests * WORKLOAD.photoViewsPerRequest;
  const hours = SECONDS_PER_MONTH / 3600;
  const target = s.targetUtilisation / 100;
  const storage = WORKLOAD.tableGb * (PRICES.dynamoStorageGbMonth + PRICES.dynamoPitrGbMonth);
  return {
    apiGateway: tiered(millions, PRICES.restApiTiers),
    waf:
      s.wafRules === undefined
        ? 0
        : PRICES.wafWebAclMonth +
          s.wafRules * PRICES.wafRuleMonth +
          millions * PRICES.wafPerMillion,
    lambda: requests * gbSeconds + millions * PRICES.lambdaPerMillion,
    dynamoOnDemand:
      ((rru * SECONDS_PER_MONTH) / 1e6) * PRICES.dynamoRruPerMillion +
      ((wru * SECONDS_PER_MONTH) / 1e6) * PRICES.dynamoWruPerMillion +
      storage,
    dynamoProvisioned:
      (rru / target) * hours * PRICES.dynamoRcuHour +
      (wru / target) * hours * PRICES.dynamoWcuHour +
      storage,
    xray: s.tracing ? (traces(WORKLOAD.xrayRate) / 1e6) * PRICES.xrayPerMillionTraces : 0,
    xrayLever: s.tracing ? (traces(WORKLOAD.xrayLeverRate) / 1e6) * PRICES.xrayPerMillionTraces : 0,
    logs: logs(logBytes('template')),
    logsLever: logs(logBytes('warn')),
    monitoring:
      s.alarmMetrics * PRICES.alarmMetricMonth +
      s.dashboards * PRICES.dashboardMonth +
      s.kmsKeys * PRICES.kmsKeyMonth,
    cloudFront:
      tiered((views * WORKLOAD.renditionKb) / 1e6, PRICES.cloudFrontGbTiers) +
      (views / 1e4) * PRICES.cloudFrontPer10kHttps,
    s3:
      WORKLOAD.photosGb * PRICES.s3StorageGbMonth +
      ((views * (1 - WORKLOAD.cdnHitRatio)) / 1e3) * PRICES.s3GetPerThousand,
    httpApi: tiered(millions, PRICES.httpApiTiers),
    changeFeed: changeFeedCost(s, rps),
    webhooks: webhookCost(s, rps),
  };
}

/** Events a second: one per write of the mix (create, update, delete, photo). */
const eventsPerSecond = (rps: number) =>
  mix.reduce((a, [, m]) => a + (m.wru > 0 ? m.share : 0), 0) * rps;

/** Each event queued for each endpoint, received, delivered by the dispatcher, deleted. */
function webhookCost(s: TemplateSettings, rps: number): number {
  if (s.webhookMemoryMb === undefined) return 0;
  const w = WORKLOAD.webhooks;
  const deliveries = eventsPerSecond(rps) * w.endpointsPerEvent * SECONDS_PER_MONTH;
  return (
    ((deliveries * w.sqsRequestsPerDelivery) / 1e6) * PRICES.sqsFifoPerMillion +
    (deliveries / w.deliveriesPerInvocation / 1e6) * PRICES.lambdaPerMillion +
    deliveries *
      (w.billedMsPerDelivery / 1000) *
      (s.webhookMemoryMb / 1024) *
      PRICES.lambdaArmGbSecond
  );
}

/** Events are the writes of the mix: their puts, the stream function's time, storage, the bus. */
function changeFeedCost(s: TemplateSettings, rps: number): number {
  if (s.changeFeedMemoryMb === undefined) return 0;
  const feed = WORKLOAD.changeFeed;
  const events = eventsPerSecond(rps);
  const perMonth = events * SECONDS_PER_MONTH;
  const keptGb = (events * feed.keptDays * 86_400 * feed.eventKb) / 1e6;
  return (
    ((perMonth * feed.wruPerEvent) / 1e6) * PRICES.dynamoWruPerMillion +
    (perMonth / 1e6) * PRICES.eventBridgePerMillion +
    perMonth *
      (feed.billedMsPerEvent / 1000) *
      (s.changeFeedMemoryMb / 1024) *
      PRICES.lambdaArmGbSecond +
    keptGb * (PRICES.dynamoStorageGbMonth + PRICES.dynamoPitrGbMonth)
  );
}

/** The two rates the docs price: a small production service and a large one. */
const PRICED_RATES = [100, 5_000] as const;

const usd = (n: number) =>
  n < 10 ? `$${n.toFixed(2)}` : `$${Math.round(n).toLocaleString('en-US')}`;

/** The cost tables of docs/infrastructure.md, rendered from a template's settings. */
export function renderCostModel(s: TemplateSettings): string {
  const [low, high] = PRICED_RATES.map((rps) => monthlyCosts(s, rps)) as [
    ReturnType<typeof monthlyCosts>,
    ReturnType<typeof monthlyCosts>,
  ];
  const row = (part: string, basis: string, pick: (c: typeof low) => number) =>
    `| ${part} | ${basis} | ${usd(pick(low))} | ${usd(pick(high))} |`;
  const total = (c: typeof low) =>
    c.apiGateway +
    c.waf +
    c.lambda +
    c.dynamoOnDemand +
    c.xray +
    c.logs +
    c.monitoring +
    c.cloudFront +
    c.s3 +
    c.changeFeed +
    c.webhooks;
  const fn = s.functions;
  const levels = [...new Set(Object.values(fn).map((f) => f.logLevel))].join(', ');
  const lines = [
    `| part | from the template | ${PRICED_RATES.map((r) => `${r.toLocaleString('en-US')} req/s`).join(' | ')} |`,
    '| --- | --- | ---: | ---: |',
    row('API Gateway (REST)', 'per request, tiered', (c) => c.apiGateway),
    row(
      'WAF',
      s.wafRules === undefined ? 'none (`waf=false`)' : `web ACL, ${s.wafRules} rules, per request`,
      (c) => c.waf,
    ),
    row(
      'Lambda',
      `${fn.get.memoryMb} MB${fn.get.arm ? ' arm64' : ''} (photo ${fn.photo.memoryMb} MB), billed ms of the mix`,
      (c) => c.lambda,
    ),
    row('DynamoDB on demand', 'request units of the mix, storage, PITR', (c) => c.dynamoOnDemand),
    row('X-Ray', s.tracing ? 'tracing on: 1 request/s + 5 %' : 'tracing off', (c) => c.xray),
    row(
      'CloudWatch Logs',
      `access log (${s.accessLogBytes} B), \`LOG_LEVEL=${levels}\`, execution logs \`${s.executionLogLevel}\`, ${s.logRetentionDays} days`,
      (c) => c.logs,
    ),
    row(
      'Alarms, dashboard, key',
      `${s.alarms} alarms on ${s.alarmMetrics} metrics, ${s.dashboards} dashboard, ${s.kmsKeys} key`,
      (c) => c.monitoring,
    ),
    row('CloudFront', 'rendition views', (c) => c.cloudFront),
    row('S3', 'photos stored, CDN misses', (c) => c.s3),
    row(
      'Change feed',
      s.changeFeedMemoryMb === undefined
        ? 'none'
        : `an event per write: put + feed index, stream function (${s.changeFeedMemoryMb} MB), 14 days kept, EventBridge`,
      (c) => c.changeFeed,
    ),
    row(
      'Webhooks',
      s.webhookMemoryMb === undefined
        ? 'none'
        : `an endpoint per event: SQS FIFO send, receive, delete; function (${s.webhookMemoryMb} MB), 150 ms each`,
      (c) => c.webhooks,
    ),
    row('**Total**', 'with DynamoDB on demand', total),
    row(
      'DynamoDB provisioned',
      `instead of on demand: steady load at ${s.targetUtilisation} % utilisation`,
      (c) => c.dynamoProvisioned,
    ),
  ];
  return [...lines, '', ...renderLevers(low, high)].join('\n') + '\n';
}

type Costs = ReturnType<typeof monthlyCosts>;

/** The levers' table: what each saves at the two rates, and what it gives up. */
function renderLevers(low: Costs, high: Costs): string[] {
  const lever = (name: string, pick: (c: Costs) => number, givesUp: string) =>
    `| ${name} | ${usd(pick(low))} | ${usd(pick(high))} | ${givesUp} |`;
  const levers = [
    `| lever | saves at ${PRICED_RATES[0]} req/s | saves at ${PRICED_RATES[1].toLocaleString('en-US')} req/s | what it gives up |`,
    '| --- | ---: | ---: | --- |',
    lever(
      'X-Ray sampling rule at 1/s + 0.1 %',
      (c) => c.xray - c.xrayLever,
      'traces of most requests: a rare failure is seldom traced',
    ),
    lever(
      '`LOG_LEVEL=warn`',
      (c) => c.logs - c.logsLever,
      "the app's line per request (status, latency, request id)",
    ),
    lever(
      'HTTP API, no WAF',
      (c) => c.apiGateway + c.waf - c.httpApi,
      'the WAF (rate limits per IP and token, managed rules), gateway responses in the problem shape, stage throttling per method',
    ),
    lever(
      'DynamoDB provisioned',
      (c) => c.dynamoOnDemand - c.dynamoProvisioned,
      'instant scaling: auto scaling follows in minutes and a burst above capacity is throttled; `maxCapacity` must cover the peak',
    ),
  ];
  return levers;
}

/**
 * List prices (USD, us-east-1, as published on the AWS pricing pages when this was written; free
 * tiers left out) and the workload the cost model assumes. Everything else the model reads from
 * the synthesized template (cost-model.ts).
 */
export const PRICES = {
  /** API Gateway REST API per million requests, by monthly tier (millions). */
  restApiTiers: [
    { upTo: 333, usd: 3.5 },
    { upTo: 1_000, usd: 2.8 },
    { upTo: 20_000, usd: 2.38 },
    { upTo: Infinity, usd: 1.51 },
  ],
  /** API Gateway HTTP API per million requests (the lever). */
  httpApiTiers: [
    { upTo: 300, usd: 1.0 },
    { upTo: Infinity, usd: 0.9 },
  ],
  wafWebAclMonth: 5,
  wafRuleMonth: 1,
  wafPerMillion: 0.6,
  lambdaArmGbSecond: 0.0000133334,
  lambdaX86GbSecond: 0.0000166667,
  lambdaPerMillion: 0.2,
  /** EventBridge: custom events put on a bus, per million (64 KB chunks; ours are under 1). */
  eventBridgePerMillion: 1.0,
  /** SQS FIFO requests per million (64 KB chunks; a batch of 10 small messages is one). */
  sqsFifoPerMillion: 0.5,
  dynamoWruPerMillion: 0.625,
  dynamoRruPerMillion: 0.125,
  dynamoWcuHour: 0.00065,
  dynamoRcuHour: 0.00013,
  dynamoStorageGbMonth: 0.25,
  dynamoPitrGbMonth: 0.2,
  xrayPerMillionTraces: 5,
  logsIngestGb: 0.5,
  logsStoreGbMonth: 0.03,
  alarmMetricMonth: 0.1,
  dashboardMonth: 3,
  kmsKeyMonth: 1,
  /** CloudFront data out, North America and Europe (price class 100), per GB by monthly tier. */
  cloudFrontGbTiers: [
    { upTo: 10_240, usd: 0.085 },
    { upTo: 51_200, usd: 0.08 },
    { upTo: 153_600, usd: 0.06 },
    { upTo: 512_000, usd: 0.04 },
    { upTo: Infinity, usd: 0.03 },
  ],
  cloudFrontPer10kHttps: 0.01,
  s3StorageGbMonth: 0.023,
  s3GetPerThousand: 0.0004,
} as const;

/** A month as AWS bills hours: 730 h. */
export const SECONDS_PER_MONTH = 730 * 3600;

/**
 * One request of each kind: its share of the traffic and what it costs the table (docs/data-model.md,
 * 1 KB profiles) and the function (billed milliseconds, from the memory benchmark's warm p50 plus
 * DynamoDB's round trips in AWS; a photo commit decodes an image).
 */
export const WORKLOAD = {
  mix: {
    get: { share: 0.75, rru: 1, wru: 0, billedMs: 20 },
    list: { share: 0.02, rru: 24, wru: 0, billedMs: 40 },
    create: { share: 0.05, rru: 0, wru: 5, billedMs: 30 },
    update: { share: 0.15, rru: 1, wru: 2, billedMs: 30 },
    delete: { share: 0.01, rru: 2, wru: 6, billedMs: 40 },
    photo: { share: 0.02, rru: 1, wru: 2, billedMs: 400 },
  },
  /** Log bytes per invocation: Lambda's START/END/REPORT lines; the app's request line at `info`. */
  platformLogBytes: 350,
  appLogBytesAtInfo: 400,
  /** API Gateway's execution log per request at `INFO` (at `ERROR`, only failures: none counted). */
  executionLogBytesAtInfo: 1500,
  /** Rendition views through the CDN per API request, their size, and the CDN's hit ratio. */
  photoViewsPerRequest: 0.5,
  renditionKb: 30,
  cdnHitRatio: 0.95,
  /** Stored: a million profiles of 1.5 KB (with guard items) and their photos, 3 renditions each. */
  tableGb: 1.5,
  photosGb: 150,
  /** X-Ray's default sampling rule: the first request each second, then 5 %; the lever: 0.1 %. */
  xrayReservoirPerSecond: 1,
  xrayRate: 0.05,
  xrayLeverRate: 0.001,
  /**
   * The change feed (ADR 0016), per write of the mix (create, update, delete, photo: each one
   * event): the event's conditional put on the event table and its feed index (under 1 KB: 2 WRU);
   * the stream function's billed time per event (batches of up to 100: an estimate, not measured
   * in AWS); 14 days of events of 0.5 KB kept.
   */
  changeFeed: { wruPerEvent: 2, billedMsPerEvent: 5, eventKb: 0.5, keptDays: 14 },
  /**
   * Webhook delivery in AWS (ADR 0016), per delivery: one endpoint taking every event; the send,
   * receive and delete each in batches of 10 (0.3 SQS requests); the dispatcher's billed time
   * waiting on the receiver (150 ms: an estimate, not measured in AWS), 10 deliveries an invocation.
   */
  webhooks: {
    endpointsPerEvent: 1,
    sqsRequestsPerDelivery: 0.3,
    billedMsPerDelivery: 150,
    deliveriesPerInvocation: 10,
  },
} as const;

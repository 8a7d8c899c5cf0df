import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { monthlyCosts, readSettings, renderCostModel, type CostTemplate } from './cost-model';
import { PRICES, WORKLOAD } from './cost-prices';
import { synthStack } from './testing';

const settingsOf = (context: Record<string, unknown> = {}) =>
  readSettings(synthStack(context).template.toJSON() as CostTemplate);
const settings = settingsOf();
const root = join(__dirname, '../../..');
const doc = readFileSync(join(root, 'docs/infrastructure.md'), 'utf8');
const readme = readFileSync(join(root, 'README.md'), 'utf8');

/** Events a second at `rps`: the writes of the mix. */
const eventsOf = (rps: number) =>
  Object.values(WORKLOAD.mix).reduce((a, m) => a + (m.wru > 0 ? m.share : 0), 0) * rps;

/** A markdown table's cells, whatever the column padding Prettier gave it. */
const cells = (markdown: string) =>
  markdown
    .split('\n')
    .filter((line) => line.startsWith('|') && !/^\|[\s:|-]+\|$/.test(line))
    .map((line) =>
      line
        .slice(1, -1)
        .split('|')
        .map((cell) => cell.trim()),
    );

describe('the cost model', () => {
  it('in docs/infrastructure.md is the one the synthesized template gives (pnpm cost:table)', () => {
    const section = /<!-- cost-model:start -->([\s\S]*?)<!-- cost-model:end -->/.exec(doc)?.[1];
    expect(section).toBeDefined();
    expect(cells(section!)).toEqual(cells(renderCostModel(settings)));
  });

  it('reads its settings from the template, so a changed stack changes the costs', () => {
    expect(settings.functions.get).toEqual({ memoryMb: 512, arm: true, logLevel: 'info' });
    expect(settings.functions.photo.memoryMb).toBe(1769);
    expect(settings).toMatchObject({
      tracing: true,
      executionLogLevel: 'ERROR',
      logRetentionDays: 7,
    });
    const base = monthlyCosts(settings, 100);
    // No WAF: its line is nothing; longer retention: logs cost more; provisioned: its target.
    expect(monthlyCosts(settingsOf({ waf: 'false' }), 100).waf).toBe(0);
    expect(monthlyCosts(settingsOf({ logRetentionDays: '30' }), 100).logs).toBeGreaterThan(
      base.logs,
    );
    expect(settingsOf({ billingMode: 'provisioned' }).targetUtilisation).toBe(70);
    // Tracing's cost is the sampled traces: 1 a second plus 5 % of the rest, at 5 USD a million.
    const traces = (1 + 0.05 * 99) * 730 * 3600;
    expect(base.xray).toBeCloseTo((traces / 1e6) * PRICES.xrayPerMillionTraces, 6);
    // Webhooks: each event (a write of the mix) queued, received and deleted in batches of 10 (0.3
    // FIFO requests), an invocation per 10, 150 ms of the 256 MB function each.
    expect(settings.webhookMemoryMb).toBe(256);
    const deliveries = eventsOf(100) * 730 * 3600;
    expect(base.webhooks).toBeCloseTo(
      (deliveries * 0.3 * PRICES.sqsFifoPerMillion) / 1e6 +
        (deliveries / 10 / 1e6) * PRICES.lambdaPerMillion +
        deliveries * 0.15 * 0.25 * PRICES.lambdaArmGbSecond,
      6,
    );
    // REST API tiers: 100 req/s is within the first.
    expect(base.apiGateway).toBeCloseTo(100 * 730 * 3600 * 3.5e-6, 6);
  });

  it("holds the README's idle figures to the template: alarms by metric, the web ACL by rule", () => {
    const { alarms, alarmMetrics, wafRules } = settings;
    expect(readme).toContain(
      `${alarms} alarms on ${alarmMetrics} metrics $${(alarmMetrics * PRICES.alarmMetricMonth).toFixed(2)}`,
    );
    const waf = PRICES.wafWebAclMonth + wafRules! * PRICES.wafRuleMonth;
    expect(readme).toContain(
      `the WAF web ACL $${waf} (5 USD and 1 USD for each of its ${wafRules}`,
    );
    expect(readme).toContain(`about ${waf} USD a month plus 0.60 USD per million requests`);
    const idle = monthlyCosts(settings, 0).monitoring;
    expect(readme).toContain(
      `About **$${Math.round(idle + waf)} a month** before traffic ($${Math.floor(idle)} without the WAF)`,
    );
  });
});

describe('docs/infrastructure.md says what the template does', () => {
  it('names no /aws/lambda log group and no INFO execution log level the stack does not have', () => {
    expect(doc).not.toContain('/aws/lambda/');
    expect(settings.executionLogLevel).toBe('ERROR');
    expect(doc).toContain('execution logs `ERROR` only');
    expect(doc).not.toMatch(/execution logs `INFO`/);
    expect(doc).not.toMatch(/SSM read on/);
  });
});

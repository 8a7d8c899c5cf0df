import { readSettings, renderCostModel, type CostTemplate } from '../src/cost-model';
import { synthStack } from '../src/testing';

// `pnpm cost:table [key=value ...]`: the cost tables of docs/infrastructure.md, from the template
// synthesized with the default settings (or those given); cost-model.test.ts holds the doc to it.
const context = Object.fromEntries(
  process.argv
    .slice(2)
    .filter((a) => a.includes('='))
    .map((a) => a.split('=', 2) as [string, string]),
);
const template = synthStack(context).template.toJSON() as CostTemplate;
process.stdout.write(renderCostModel(readSettings(template)));

import type { SweepOutcome } from '@userprofile/domain';
import { loadConfig } from './config';
import { createContainer } from './container';
import { photoAdapters } from './photo-adapters';
import { photoModule } from './photo-module';
import { TOKENS } from './tokens';

const config = loadConfig();
const container = createContainer(config);
container.loadSync(photoModule(photoAdapters(config)));

/**
 * The scheduled orphan sweep (EventBridge, daily): deletes photo renditions no profile shows.
 * Its outcome is logged as one JSON line and returned.
 */
export async function handler(): Promise<{ examined: number; deleted: number }> {
  const outcome: SweepOutcome = await container.get(TOKENS.SweepOrphanRenditions).execute();
  const summary = { examined: outcome.examined, deleted: outcome.deleted.length };
  console.log(JSON.stringify({ msg: 'swept orphan photo renditions', ...summary }));
  return summary;
}

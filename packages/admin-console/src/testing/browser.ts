import AxeBuilder from '@axe-core/playwright';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { Locator, Page } from 'playwright-core';

/**
 * The system's Chromium (Debian's `chromium`; CHROMIUM_PATH names another): Playwright's own
 * browser download is never used.
 */
export function systemChromium(): string | undefined {
  const named = process.env.CHROMIUM_PATH;
  if (named) return existsSync(named) ? named : undefined;
  for (const name of ['chromium', 'chromium-browser']) {
    try {
      return execFileSync('which', [name], { encoding: 'utf8' }).trim() || undefined;
    } catch {
      // not this name
    }
  }
  return undefined;
}

export const NO_CHROMIUM =
  'No Chromium on this machine: the admin console end-to-end tests are skipped. Install it ' +
  '(`apt-get install -y chromium`) or set CHROMIUM_PATH. In CI (CI set) they fail instead.';

/**
 * Presses Tab until `target` has the focus, as someone with only a keyboard does; fails when it
 * is not reached in `max` presses (an element that cannot be reached by keyboard).
 */
export async function tabTo(page: Page, target: Locator, max = 40): Promise<void> {
  const handle = await target.elementHandle();
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate((el) => el === document.activeElement, handle)) return;
  }
  throw new Error(`not reached by ${max} presses of Tab: ${String(target)}`);
}

/** The accessible name of the focused element's tag and text, e.g. `H1 Users`. */
export const focused = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement;
    return `${el?.tagName ?? ''} ${el?.textContent?.trim() ?? ''}`;
  });

/** axe-core's violations of impact serious or critical on the page as it is now (WCAG 2.x A/AA). */
export async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'])
    .analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
    );
}

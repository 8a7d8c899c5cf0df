import { ProblemError, ProfileClient } from '@userprofile/client';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { focused, NO_CHROMIUM, seriousViolations, systemChromium, tabTo } from './testing/browser';
import { startConsoleServer } from './testing/console-server';

const chromiumPath = systemChromium();
const screenshots = join(__dirname, '../../../docs/images');
const samplePhoto = readFileSync(join(__dirname, '../../../docs/sample-photo.jpg'));

// Outside CI a machine without Chromium skips, saying so; in CI its absence fails the run.
if (!chromiumPath && !process.env.CI) console.warn(NO_CHROMIUM);
const describeInBrowser = chromiumPath || process.env.CI ? describe : describe.skip;

/**
 * The admin console in Chromium against the bundled local server (jwt mode, development keys)
 * on DynamoDB Local: one administrator's session, step by step, with the keyboard wherever a
 * person could use it, axe-core on every page, and the user's own token to see the effects.
 */
describeInBrowser('the admin console, in a real browser', () => {
  let server: Awaited<ReturnType<typeof startConsoleServer>>;
  let browser: Browser;
  let page: Page;
  let ada: ProfileClient;
  let adaId: string;
  const cspViolations: string[] = [];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    if (!chromiumPath) throw new Error(NO_CHROMIUM);
    server = await startConsoleServer();
    const adaToken = server.token(['--email', 'ada@example.com']);
    ada = new ProfileClient({ baseUrl: server.url, token: () => adaToken });
    adaId = (await ada.create({ firstName: 'Ada', lastName: 'Lovelace' })).userId;
    await ada.setPhoto(adaId, samplePhoto, 'image/jpeg');
    for (const [first, last] of [
      ['Grace', 'Hopper'],
      ['Alan', 'Turing'],
    ] as const) {
      const token = server.token(['--email', `${first.toLowerCase()}@example.com`]);
      await new ProfileClient({ baseUrl: server.url, token: () => token }).create({
        firstName: first,
        lastName: last,
      });
    }
    browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox'] });
    // A context of its own (axe-core's runner opens a page beside it).
    const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
    page = await context.newPage();
    page.setDefaultTimeout(10_000);
    page.on('pageerror', (error) => pageErrors.push(String(error)));
    page.on('console', (message) => {
      if (/Content.Security.Policy/i.test(message.text())) cspViolations.push(message.text());
    });
    mkdirSync(screenshots, { recursive: true });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  // No script error, and nothing refused by the console's Content-Security-Policy.
  afterEach(() => expect([...pageErrors, ...cspViolations]).toEqual([]));

  const shot = (name: string) =>
    page.screenshot({ path: join(screenshots, `admin-console-${name}.png`), fullPage: true });

  it('asks for a sign-in first, and signs an administrator in with the keyboard alone', async () => {
    await page.goto(`${server.url}/admin/`);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(page.url()).toBe(`${server.url}/admin/sign-in`);
    expect(await focused(page)).toBe('H1 Sign in');
    expect(await seriousViolations(page)).toEqual([]);
    await shot('sign-in');

    // A user's token may not list: the problem is shown in words, and nobody is signed in.
    await tabTo(page, page.getByLabel('Development token'));
    await page.keyboard.insertText(server.token(['--email', 'nobody@example.com']));
    await tabTo(page, page.getByRole('button', { name: 'Sign in' }));
    await page.keyboard.press('Enter');
    await page.getByRole('alert').getByText(/403/).waitFor();
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByLabel('Development token').fill('');
    await page.getByLabel('Development token').focus();
    await page.keyboard.insertText(server.token(['--admin']));
    await tabTo(page, page.getByRole('button', { name: 'Sign in' }));
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Users', level: 1 }).waitFor();
    expect(await focused(page)).toBe('H1 Users');
  });

  it('lists the users newest first, and searches them by name, e-mail domain and creation', async () => {
    const rows = page.getByRole('table').getByRole('row');
    await page.getByRole('link', { name: 'Alan Turing' }).waitFor();
    expect(await rows.count()).toBe(4); // the header and three users
    expect(await rows.nth(1).textContent()).toContain('alan@example.com');
    expect(await seriousViolations(page)).toEqual([]);
    await shot('users');

    // By name, any case and accents aside, with the keyboard.
    await tabTo(page, page.getByLabel('Search for'));
    await page.keyboard.type('ADA lov');
    await page.keyboard.press('Enter');
    await page.getByText('1 user on this page.').waitFor();
    expect(await rows.count()).toBe(2);
    expect(page.url()).toBe(`${server.url}/admin/?q=ADA+lov`);
    expect(await focused(page)).toBe('H1 Users');
    expect(await seriousViolations(page)).toEqual([]);
    await shot('search');

    // By e-mail domain; created from tomorrow on: nobody yet.
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    await page.goto(`${server.url}/admin/?q=example.com&by=emailDomain&after=${tomorrow}`);
    await page.getByText('No user on this page.').waitFor();
    await page.goto(`${server.url}/admin/?q=example.com&by=emailDomain`);
    await page.getByText('3 users on this page.').waitFor();
    await page.goto(`${server.url}/admin/?q=ada`);
    await page.getByRole('link', { name: 'Ada Lovelace' }).waitFor();
  });

  it('opens a profile from the list: its fields, photo, metadata, history and suspensions', async () => {
    await tabTo(page, page.getByRole('link', { name: 'Ada Lovelace' }));
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Ada Lovelace', level: 1 }).waitFor();
    expect(await focused(page)).toBe('H1 Ada Lovelace');
    expect(page.url()).toBe(`${server.url}/admin/users/${adaId}`);
    await page.getByRole('img', { name: 'Photo of Ada Lovelace' }).waitFor();
    expect(await page.getByText('Never suspended.').count()).toBe(1);
    // The history: creation and the photo, once the change feed has read them.
    await eventually(async () => {
      await page.reload();
      await page.getByRole('heading', { name: 'History' }).waitFor();
      return (await page.getByRole('cell', { name: 'profile.photo.changed' }).count()) === 1;
    });
    expect(await focused(page)).toBe('H1 Ada Lovelace');
    expect(await seriousViolations(page)).toEqual([]);
    await shot('profile');
  });

  it("suspends: the user's own writes are then 403 ACCOUNT_SUSPENDED; lifting ends it", async () => {
    await page.getByLabel('Reason').selectOption('ABUSE');
    await tabTo(page, page.getByRole('button', { name: 'Suspend' }));
    await page.keyboard.press('Enter');
    await page.getByRole('status').getByText('The account is suspended.').waitFor();
    await page.getByText(/Suspended since .* for ABUSE, until lifted/).waitFor();
    const refused = await ada.update(adaId, { lastName: 'King' }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ProblemError);
    expect([(refused as ProblemError).status, (refused as ProblemError).code]).toEqual([
      403,
      'ACCOUNT_SUSPENDED',
    ]);
    expect(await seriousViolations(page)).toEqual([]);
    await shot('profile-suspended');

    await tabTo(page, page.getByRole('button', { name: 'Lift the suspension' }));
    await page.keyboard.press('Enter');
    await page.getByRole('status').getByText('The suspension was lifted.').waitFor();
    expect((await ada.update(adaId, { lastName: 'King' })).lastName).toBe('King');
  });

  it("edits the administrators' data with If-Match: a stale ETag is a problem shown in words", async () => {
    // The user changed the profile after the page read it (the update just above): 412.
    const field = page.getByLabel('JSON object (empty removes it)');
    await field.fill('{"plan": "pro"}');
    await page.getByRole('button', { name: "Save administrators' data" }).click();
    await page.getByRole('alert').getByText(/412/).waitFor();
    expect(await page.getByRole('alert').textContent()).toMatch(/changed/i);

    await page.reload();
    await page.getByRole('heading', { name: 'Ada King', level: 1 }).waitFor();
    await page.getByLabel('JSON object (empty removes it)').fill('{"plan": "pro"}');
    await page.getByRole('button', { name: "Save administrators' data" }).click();
    await page.getByRole('status').getByText('The administrators’ data was saved.').waitFor();
    expect((await ada.get(adaId)).appMetadata).toEqual({ plan: 'pro' });

    await page.getByLabel('JSON object (empty removes it)').fill('{"plan": ');
    await page.getByRole('button', { name: "Save administrators' data" }).click();
    await page
      .getByRole('alert')
      .getByText(/must be a JSON object/)
      .waitFor();
  });

  it('removes the photo', async () => {
    await tabTo(page, page.getByRole('button', { name: 'Remove the photo' }));
    await page.keyboard.press('Enter');
    await page.getByRole('status').getByText('The photo was removed.').waitFor();
    expect(await page.getByText('No photo.').count()).toBe(1);
    expect((await ada.get(adaId)).photo).toBeUndefined();
  });

  it('erases the user once their e-mail address is typed', async () => {
    const erase = page.getByRole('button', { name: 'Erase' });
    expect(await erase.isDisabled()).toBe(true);
    await tabTo(page, page.getByLabel('E-mail address of the user to erase'));
    await page.keyboard.type('ada@example.co');
    expect(await erase.isDisabled()).toBe(true);
    await page.keyboard.type('m');
    await tabTo(page, erase);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Users', level: 1 }).waitFor();
    await page.getByText('ada@example.com was erased.').waitFor();
    const gone = await ada.get(adaId).catch((e: unknown) => e);
    expect((gone as ProblemError).code).toBe('PROFILE_NOT_FOUND');
    await page.getByRole('link', { name: 'Grace Hopper' }).waitFor();
    expect(await page.getByRole('link', { name: /Ada/ }).count()).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('serves deep links, and signs out', async () => {
    await page.goto(`${server.url}/admin/users/${adaId}`);
    await page.getByRole('alert').getByText(/404/).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await page.goto(`${server.url}/admin/`);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  });
});

/** Polls `check` until it is true, for up to `ms` (the change feed is read every second or so). */
async function eventually(check: () => Promise<boolean>, ms = 20_000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`not so within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

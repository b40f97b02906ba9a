// The browser half of scripts/adopter-check.sh: in a fresh Backstage app
// with Glidepath installed from docs/install.md, sign in as the guest, open
// the Releases tab of the annotated entity and roll its release back.
//
// Usage: node scripts/adopter-check/browser.mjs <app url> <entity path> <screenshot dir>
// e.g.   node scripts/adopter-check/browser.mjs http://localhost:7107 \
//          default/component/example-website /tmp/adopter-1/screenshots
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, findChromium } from '../../e2e/portal.mjs';

const [appUrl, entityPath, shotDir] = process.argv.slice(2);
if (!appUrl || !entityPath || !shotDir) {
  console.error(
    'usage: node scripts/adopter-check/browser.mjs <app url> <entity path> <screenshot dir>',
  );
  process.exit(2);
}
mkdirSync(shotDir, { recursive: true });
const entityName = entityPath.split('/').pop();

const browser = await chromium.launch({
  executablePath: findChromium(),
  args: CHROMIUM_ARGS,
});
const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
const failures = [];
page.on('response', res => {
  // Glidepath's own API must answer every call the Releases tab makes.
  if (res.url().includes('/api/glidepath/') && res.status() >= 400) {
    failures.push(`${res.status()} ${res.request().method()} ${res.url()}`);
  }
});
let step = 0;
const shot = async name => {
  step += 1;
  const file = join(shotDir, `${String(step).padStart(2, '0')}-${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  console.log(`[adopter-check] screenshot ${file}`);
};

try {
  // A fresh app's sign-in page offers the guest provider.
  await page.goto(appUrl);
  await page.getByRole('button', { name: /enter/i }).click();
  await page.waitForLoadState('networkidle');
  await shot('signed-in');

  await page.goto(`${appUrl}/catalog/${entityPath}`);
  // The entity's Releases tab, not the sidebar's Releases page.
  await page
    .locator(`a[href$="/${entityPath}/releases"]`, { hasText: /^Releases$/ })
    .first()
    .click();
  // The sandbox's release train: labelled simulated, with a version.
  await page.getByTestId('glidepath-simulated').first().waitFor();
  const version = page.getByTestId('glidepath-version').first();
  await version.waitFor({ timeout: 120_000 });
  const before = (await version.innerText()).trim();
  assert.ok(before.length > 0, 'the Releases tab shows a version');
  await shot('releases-tab');

  const rollback = page.getByRole('button', { name: 'Roll back' });
  await rollback.waitFor({ timeout: 60_000 });
  assert.equal(
    await rollback.isEnabled(),
    true,
    'the guest, a member of the owning group, may roll back',
  );
  const dialog = page.getByRole('dialog');
  const reason = 'adopter check: roll back from a fresh app';
  // The sandbox's train starts a release every minute. One that starts
  // between the tab's last read and the click makes the release shown an
  // older one, and Glidepath refuses to roll that back under a release in
  // progress (it says so in the dialog). The tab shows the new release at
  // its next read: roll that one back, as a user would.
  for (let attempt = 1; ; attempt++) {
    await rollback.click();
    await dialog
      .getByRole('heading', { name: `Roll back ${entityName}?` })
      .waitFor();
    await dialog.getByRole('textbox', { name: /Reason/ }).fill(reason);
    await dialog.getByRole('button', { name: 'Confirm' }).click();
    const outcome = await Promise.race([
      dialog
        .getByText('Roll back succeeded.')
        .waitFor({ timeout: 60_000 })
        .then(() => 'succeeded'),
      dialog
        .getByText(/Roll back failed/)
        .waitFor({ timeout: 60_000 })
        .then(() => 'failed'),
    ]);
    if (outcome === 'succeeded') break;
    const text = await dialog.innerText();
    if (attempt >= 3 || !/is progressing/.test(text)) {
      throw new Error(`the rollback failed: ${text}`);
    }
    console.log(
      `[adopter-check] a train release started before the click (${text
        .split('\n')
        .find(line => /failed/.test(line))}); rolling back the new one`,
    );
    await dialog.getByRole('button', { name: 'Close' }).click();
    await page.waitForTimeout(6_000);
    await rollback.waitFor({ timeout: 60_000 });
  }
  await shot('rollback-succeeded');
  await dialog.getByRole('button', { name: 'Close' }).click();

  // The release shows as rolled back, with the reason in its audit trail.
  await page
    .getByText(/rolled back/i)
    .first()
    .waitFor();
  await page.getByText(reason).first().waitFor();
  // Recorded as the catalog's guest user (docs/install.md, the signed-in
  // user), not as the guest provider's default user:development/guest,
  // which has no catalog entity in a fresh app.
  await page
    .getByRole('link', { name: 'guest', exact: true })
    .first()
    .waitFor();
  assert.equal(await page.getByText('development/guest').count(), 0);
  await shot('rolled-back');
  await page.setViewportSize({ width: 1024, height: 900 });
  await shot('rolled-back-1024');
  assert.deepEqual(failures, [], 'Glidepath API calls that failed');
  console.log(
    `[adopter-check] ${entityName}: rolled back the release of ${before} from the Releases tab`,
  );
} catch (error) {
  await shot('failure').catch(() => {});
  console.error(`[adopter-check] failed: ${error.stack ?? error}`);
  if (failures.length) console.error(failures.join('\n'));
  process.exitCode = 1;
} finally {
  await browser.close();
}

// Release analytics: the release metrics of issue 20 (rollback-tested share
// against 70%, progressive delivery, rollback time against two minutes) for
// the organisation and a team beside it. The demo tests every version that
// completes in staging (glidepath.rollbackTests.policy: auto), so once a
// tested version has gone through production the share is above zero; the
// e2e sandbox's search-service is always faulty, and the analysis engine's
// rollbacks of it give the automatic rollback time.
import assert from 'node:assert/strict';
import { assertNothingWider } from './smoke.mjs';

const TESTED = /(\d+) of (\d+) production releases? tested first/;

/**
 * The organisation's tested count on the card, reloading until it is above
 * zero or `timeoutMs` passed (then the count as it is: the demo's tests fail
 * now and then, when the fast e2e train starts a release in staging during
 * one, and a production release counts only when the gate held it until its
 * test passed).
 */
async function waitForTested(page, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const tile = page.getByTestId('glidepath-release-metrics-tested');
    await tile.waitFor({ timeout: 60_000 });
    const match = (await tile.innerText()).match(TESTED);
    assert.ok(match, 'the tested count is on the card');
    if (Number(match[1]) > 0 || Date.now() > deadline) return match;
    await page.waitForTimeout(15_000);
    await page.reload();
  }
}

export const releaseMetricsTests = [
  [
    'the Release analytics page shows rollback tests, progressive delivery and rollback time with their targets',
    async ({ page, shot, appUrl }) => {
      await page.goto(`${appUrl}/glidepath/analytics`);
      await page.getByTestId('glidepath-analytics-intro').waitFor();
      const started = Date.now();
      const [, tested, releases] = await waitForTested(page, 6 * 60_000);
      console.log(
        `    rollback-tested first: ${tested} of ${releases} production releases after ${Math.round(
          (Date.now() - started) / 1000,
        )} s`,
      );
      const card = page.getByTestId('glidepath-release-metrics');
      // The three measures, each with its target.
      assert.match(
        await page
          .getByTestId('glidepath-release-metrics-tested-target')
          .innerText(),
        /^Target 70%: (on target|\d+ points? below|just below)$/,
      );
      const progressive = await page
        .getByTestId('glidepath-release-metrics-progressive')
        .innerText();
      assert.match(progressive, /\d+%/);
      assert.match(progressive, /canary \d+/);
      const time = page.getByTestId('glidepath-release-metrics-rollback-time');
      assert.match(
        await page
          .getByTestId('glidepath-release-metrics-rollback-time-target')
          .innerText(),
        /^Target 2m \(median\)/,
      );
      assert.match(await time.innerText(), /Automatic: /);
      assert.match(await time.innerText(), /By hand: /);
      // Simulated, and charted week by week with the targets drawn.
      assert.match(
        await card
          .getByTestId('glidepath-release-metrics-simulated')
          .innerText(),
        /Simulated: \d+ of these \d+ production releases were made up by the sandbox/,
      );
      await card
        .getByTestId('glidepath-release-metrics-trend-tested')
        .locator('.recharts-line')
        .waitFor();
      assert.match(
        await card
          .getByTestId('glidepath-release-metrics-trend-tested')
          .innerText(),
        /target 70%/,
      );
      // Cross-service releases through a release plan (issue 21): the demo's
      // linked services release on their own trains within a day of each
      // other, so there are cross-service releases, and a target of 70%.
      const planned = await page
        .getByTestId('glidepath-release-metrics-planned')
        .innerText();
      assert.match(
        planned,
        /(\d+ of \d+ cross-service releases? through a release plan|No cross-service releases)/,
      );
      assert.match(
        await page
          .getByTestId('glidepath-release-metrics-planned-target')
          .innerText(),
        /^Target 70%: (on target|\d+ points? below|just below|no data)$/,
      );
      assert.match(
        await card
          .getByTestId('glidepath-release-metrics-trend-planned')
          .innerText(),
        /target 70%/,
      );
      console.log(`    through a plan: ${planned.replace(/\s+/g, ' ')}`);
      for (const [name, value] of [
        [
          'tested',
          await page
            .getByTestId('glidepath-release-metrics-tested')
            .innerText(),
        ],
        ['progressive', progressive],
        ['rollback time', await time.innerText()],
      ]) {
        console.log(`    ${name}: ${value.replace(/\s+/g, ' ')}`);
      }
      await card.scrollIntoViewIfNeeded();
      await shot('40-release-metrics');
      await page.setViewportSize({ width: 1024, height: 900 });
      await assertNothingWider(page);
      await card.scrollIntoViewIfNeeded();
      await shot('40b-release-metrics-1024');
      await page.setViewportSize({ width: 1440, height: 900 });

      // A team's page: its own measures beside the organisation's.
      await page.goto(
        `${appUrl}/glidepath/analytics?owner=${encodeURIComponent(
          'group:default/team-fulfillment',
        )}`,
      );
      const organisation = page.getByTestId(
        'glidepath-release-metrics-tested-organisation',
      );
      await organisation.waitFor({ timeout: 60_000 });
      assert.match(await organisation.innerText(), /^Organisation: (<1|\d+)%$/);
      assert.match(
        await page.getByTestId('glidepath-release-metrics-planned').innerText(),
        /cross-service release|No cross-service releases/,
      );
      assert.match(
        await page.getByTestId('glidepath-release-metrics-tested').innerText(),
        TESTED,
      );
      await page
        .getByTestId('glidepath-release-metrics')
        .scrollIntoViewIfNeeded();
      await shot('41-release-metrics-team');
    },
  ],
];

// The Argo Rollouts provider in the portal: services whose Rollouts are read
// from a stand-in Kubernetes API server holding Argo Rollouts' own example
// objects (e2e/argoCluster.mjs): the aborted canary with Argo's reason, and
// the AnalysisRun that failed it, each metric with its measurements; a
// canary at its experiment step, with the Experiment's template and its
// analysis run; one paused on an inconclusive analysis after it timed out;
// and a Rollout its controller rejected (InvalidSpec), which is a problem of
// its entity, not a release.
import assert from 'node:assert/strict';
import { assertNothingWider, wordsBrokenIn } from './smoke.mjs';

/** Screenshots at 1440 and 1024 px, checking that nothing is wider than its container. */
async function shotsAtTwoWidths(page, shot, name, { cardless = false } = {}) {
  for (const width of [1440, 1024]) {
    await page.setViewportSize({ width, height: 900 });
    await assertNothingWider(page, { cardless });
    // The analysis runs' metric tables keep their words whole.
    assert.deepEqual(
      await wordsBrokenIn(page, '[data-testid="glidepath-provider-analysis"]'),
      [],
      `words broken at ${width} px`,
    );
    await shot(`${name}-${width}`);
  }
  await page.setViewportSize({ width: 1440, height: 900 });
}

export const argoTests = [
  [
    "an Argo Rollouts canary on the Releases tab, with Argo's own analysis run",
    async ({ page, shot, appUrl }) => {
      await page.goto(
        `${appUrl}/catalog/default/component/background-analysis-demo/releases`,
      );
      // The catalog and the provider's first poll take a few seconds.
      const version = page.getByTestId('glidepath-version').first();
      await version.waitFor({ timeout: 90_000 });
      assert.match(await version.innerText(), /blue\s*→\s*yellow/);
      assert.match(
        await page.getByTestId('glidepath-phase').first().innerText(),
        /aborted/i,
      );
      assert.match(
        await page
          .getByTestId('glidepath-provider-message')
          .first()
          .innerText(),
        /metric "web" assessed Failed due to failed \(1\) > failureLimit \(0\)/,
      );
      // Argo Rollouts is real: nothing on this page is labelled simulated.
      assert.equal(await page.getByTestId('glidepath-simulated').count(), 0);

      // Glidepath never watched this 2020 canary: it says so, not "yet".
      assert.match(
        await page.getByTestId('glidepath-analysis-empty').first().innerText(),
        /Glidepath did not judge this release/,
      );
      const section = page.getByTestId('glidepath-provider-analysis').first();
      await section.waitFor({ timeout: 30_000 });
      const run = await section.innerText();
      assert.match(run, /Analysis runs by argo-rollouts/);
      assert.match(run, /rollout-background-analysis-db976bc44-2/);
      assert.match(run, /Background · Failed/);
      const metric = await page
        .getByTestId('glidepath-provider-metric-web')
        .first()
        .innerText();
      assert.match(metric, /1 measurement: 1 failed/);
      assert.match(metric, /passes when result == "true"/);
      assert.match(metric, /false/, 'the measured value');
      await section.scrollIntoViewIfNeeded();
      await shot('27-argo-rollouts-analysis-run');
    },
  ],
  [
    "an Argo Rollouts experiment step on the Releases tab, with the Experiment's template and analysis run",
    async ({ page, shot, appUrl }) => {
      await page.goto(
        `${appUrl}/catalog/default/component/canary-demo/releases`,
      );
      const version = page.getByTestId('glidepath-version').first();
      await version.waitFor({ timeout: 90_000 });
      // kubectl argo rollouts get: blue (Σ:canary-preview), green (stable).
      assert.match(await version.innerText(), /green\s*→\s*blue/);
      assert.match(
        await page.getByTestId('glidepath-phase').first().innerText(),
        /progressing/i,
      );
      const step = page.getByTestId('glidepath-step-0').first();
      const stepText = await step.innerText();
      assert.match(
        stepText,
        /Experiment: canary-preview \(canary\); analyses stress-test/,
      );
      assert.match(stepText, /Running · current step/);
      assert.match(stepText, /Experiment canary-demo-645d5dbc4c-2-0 · Running/);
      // The fixture's experiment ReplicaSet predates the pod-template-hash
      // label, so its counts come from the Experiment's template status.
      assert.match(
        await step
          .getByTestId('glidepath-experiment-template-canary-preview')
          .innerText(),
        /Template canary-preview · Running · 1 of 1 ready, 1 available/,
      );
      assert.match(
        await step
          .getByTestId(
            'glidepath-experiment-run-canary-demo-645d5dbc4c-2-0-stress-test',
          )
          .innerText(),
        /Analysis run canary-demo-645d5dbc4c-2-0-stress-test \(stress-test\) · Running/,
      );
      // The run the Experiment owns is with the release's runs too, with its
      // metric and measurement (it was dropped before issue 24).
      const section = page.getByTestId('glidepath-provider-analysis').first();
      await section.waitFor({ timeout: 30_000 });
      const runs = await section.innerText();
      assert.match(runs, /canary-demo-645d5dbc4c-2-0-stress-test/);
      assert.match(runs, /Experiment · Running/);
      await page
        .getByTestId('glidepath-provider-metric-stress')
        .first()
        .waitFor();
      await step.scrollIntoViewIfNeeded();
      await shotsAtTwoWidths(page, shot, '28-argo-experiment-step');
    },
  ],
  [
    'an Argo Rollouts canary that timed out while paused on an inconclusive analysis: no step runs, the message says both',
    async ({ page, shot, appUrl }) => {
      await page.goto(
        `${appUrl}/catalog/default/component/experiment-analysis-demo/releases`,
      );
      const version = page.getByTestId('glidepath-version').first();
      await version.waitFor({ timeout: 90_000 });
      assert.match(await version.innerText(), /blue\s*→\s*yellow/);
      assert.match(
        await page.getByTestId('glidepath-phase').first().innerText(),
        /failed/i,
      );
      const message = await page
        .getByTestId('glidepath-provider-message')
        .first()
        .innerText();
      assert.match(message, /ProgressDeadlineExceeded/);
      assert.match(
        message,
        /Paused: an analysis was inconclusive \(rollout-experiment-analysis-random-fail-6f646bf7b7-skqcr: 4 successful, 4 failed, 1 inconclusive, 1 error\)/,
      );
      const steps = await page
        .getByRole('list', { name: 'Rollout steps' })
        .first()
        .innerText();
      assert.doesNotMatch(steps, /Running · current step/);
      assert.match(
        await page.getByTestId('glidepath-step-1').first().innerText(),
        /Skipped[\s\S]*Experiment rollout-experiment-analysis-6f646bf7b7-1-vcv27 · Running/,
      );
      await shotsAtTwoWidths(page, shot, '29-argo-failed-inconclusive');
    },
  ],
  [
    "an InvalidSpec Rollout is a problem on its entity with Argo's message, not a release",
    async ({ page, shot, appUrl }) => {
      await page.goto(
        `${appUrl}/catalog/default/component/invalid-spec-demo/releases`,
      );
      const notice = page
        .getByText(
          "The 'argo-rollouts' provider could not give this entity's releases",
        )
        .first();
      await notice.waitFor({ timeout: 90_000 });
      await page
        .getByText(
          /Nothing was read for this entity yet; the provider reported: Rollout default\/rollout-invalid in cluster fixtures: the controller rejected the Rollout's spec \(InvalidSpec\), so it has no revision and runs no pods: The Rollout "rollout-invalid" is invalid: spec\.template\.metadata\.labels: Invalid value: .*`selector` does not match template `labels`/,
        )
        .first()
        .waitFor();
      // No made-up release: no version, no step, an empty state instead.
      await page.getByText('No release observed yet').first().waitFor();
      assert.equal(await page.getByTestId('glidepath-version').count(), 0);
      assert.equal(await page.getByTestId('glidepath-step-0').count(), 0);
      // Only a notice and an empty state: no card to check.
      await shotsAtTwoWidths(page, shot, '30-argo-invalid-spec', {
        cardless: true,
      });
    },
  ],
];

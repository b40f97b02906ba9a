// The Argo Rollouts provider in the portal: a service whose Rollout is read
// from a stand-in Kubernetes API server holding Argo Rollouts' own example
// objects (e2e/argoCluster.mjs): the aborted canary with Argo's reason, and
// the AnalysisRun that failed it, each metric with its measurements.
import assert from 'node:assert/strict';

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
];

// The browser tests: start the demo portal, drive Debian's Chromium with
// playwright-core through what a newcomer does first, save screenshots to
// e2e/artifacts/, stop the portal. Run with `yarn test:e2e` (or as part of
// `yarn test`).
import { chromium } from 'playwright-core';
import { resolve } from 'node:path';
import {
  appUrl,
  artifactsDir,
  CHROMIUM_ARGS,
  findChromium,
  repoRoot,
  startPortal,
} from './portal.mjs';
import { analysisTests } from './analysis.mjs';
import { argoTests } from './argo.mjs';
import { breakGlassTests } from './breakGlass.mjs';
import { calendarTests } from './calendar.mjs';
import { startArgoCluster } from './argoCluster.mjs';
import { dependencyTests } from './dependencies.mjs';
import { doraTests } from './dora.mjs';
import { flagTests } from './flags.mjs';
import { gameDayTests } from './gameDays.mjs';
import { pageTests } from './pages.mjs';
import { planTests } from './plans.mjs';
import { releaseMetricsTests } from './releaseMetrics.mjs';
import { releaseTests } from './releases.mjs';
import { scaffolderTests } from './scaffolder.mjs';
import { smokeTests } from './smoke.mjs';

const executablePath = findChromium();
let argoCluster;
let portal;
let browser;
let passed = 0;
let failed = 0;
try {
  // Argo Rollouts' own objects behind a stand-in API server (e2e/argo.mjs).
  argoCluster = await startArgoCluster();
  portal = await startPortal({
    configs: [
      resolve(repoRoot, 'e2e/app-config.e2e.yaml'),
      argoCluster.configFile,
    ],
  });
  browser = await chromium.launch({
    executablePath,
    args: CHROMIUM_ARGS,
  });
  const context = await browser.newContext({
    viewport: { width: 1440, height: 900 },
  });
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  const shot = name =>
    page.screenshot({
      path: resolve(artifactsDir, `${name}.png`),
      fullPage: true,
    });

  // The tests run in order and share the signed-in page, as a person would.
  // E2E_ONLY=<regexp> runs the smoke tests (they sign in) and the matching
  // others, e.g. E2E_ONLY=Dependencies while working on that page.
  const only = process.env.E2E_ONLY
    ? new RegExp(process.env.E2E_ONLY, 'i')
    : null;
  for (const [name, test] of [
    ...smokeTests,
    ...[
      ...releaseTests,
      ...analysisTests,
      ...argoTests,
      ...dependencyTests,
      ...doraTests,
      ...releaseMetricsTests,
      ...flagTests,
      ...calendarTests,
      ...breakGlassTests,
      ...scaffolderTests,
      ...gameDayTests,
      ...planTests,
      ...pageTests,
    ].filter(([testName]) => !only || only.test(testName)),
  ]) {
    const started = Date.now();
    try {
      await test({ page, shot, appUrl });
      passed++;
      console.log(`  ✓ ${name} (${Date.now() - started} ms)`);
    } catch (error) {
      failed++;
      console.log(
        `  ✕ ${name}\n    ${String(error?.stack ?? error)
          .split('\n')
          .join('\n    ')}`,
      );
      await shot(`failed-${name.replace(/\W+/g, '-')}`).catch(() => {});
      break;
    }
  }
} catch (error) {
  failed++;
  console.error(`[e2e] ${error.message ?? error}`);
} finally {
  await browser?.close().catch(() => {});
  await portal?.stop();
  await argoCluster?.stop();
}
console.log(`[e2e] screenshots in ${artifactsDir}`);
console.log(`e2e: ${passed} passed, ${failed} failed`);
process.exitCode = failed > 0 ? 1 : 0;

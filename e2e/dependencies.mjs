// The dependency graph: a service's Dependencies tab with versions and a
// broken requirement, following a node, the portal page for a team, and the
// rollback dialog warning about the requirement a rollback would break.
// The demo pins promotions-service's history (1.4.2 then 1.5.0, see
// app-config.yaml): pricing-service requires >=1.5.0 <2, so rolling 1.5.0
// back breaks it; cart-service requires ^2.0.0, broken now.
import assert from 'node:assert/strict';
import { assertNothingWider, wordsBrokenIn } from './smoke.mjs';

/** Words of the dependency table that wrap inside themselves. */
const wordsBrokenInTable = page =>
  wordsBrokenIn(page, '[data-testid="glidepath-graph-table"]');

/**
 * The graph's canvas and the release order fit in the page's content area:
 * the tab's or page's own container (pages drawn by the app have no <main>).
 */
async function assertGraphFits(page) {
  const wide = await page.evaluate(() => {
    const container =
      document.querySelector('[data-testid="glidepath-dependency-page"]') ??
      document.querySelector('[data-testid="glidepath-dependencies"]') ??
      document.querySelector('main');
    if (!container) return ['no Dependencies container on the page'];
    const main = container.getBoundingClientRect();
    return [
      'glidepath-release-order',
      'glidepath-graph-legend',
      'glidepath-graph',
    ]
      .map(id => document.querySelector(`[data-testid="${id}"]`))
      .filter(el => el && el.getBoundingClientRect().right > main.right + 1)
      .map(el => el.getAttribute('data-testid'));
  });
  assert.deepEqual(wide, [], `wider than the page: ${wide.join(', ')}`);
}

/** The waves of the release order as the page lists them. */
async function waves(page) {
  const list = page.getByTestId('glidepath-release-wave');
  await list.first().waitFor();
  return list.allInnerTexts();
}

/** The on-screen size in px of a name drawn in the graph. */
async function namePx(page, name) {
  return page
    .getByTestId('glidepath-graph-labels')
    .getByText(name, { exact: true })
    .evaluate(
      el => el.getScreenCTM().a * parseFloat(getComputedStyle(el).fontSize),
    );
}

export const dependencyTests = [
  [
    "a service's Dependencies tab draws its graph with a broken requirement, and a node opens its entity",
    async ({ page, shot, appUrl }) => {
      await page.goto(`${appUrl}/catalog/default/component/promotions-service`);
      // The entity page's own tab (the nav also has a Dependencies page).
      await page
        .locator('a[href$="/component/promotions-service/dependencies"]')
        .first()
        .click();
      await page.waitForURL(/promotions-service\/dependencies$/);
      await page.getByTestId('glidepath-dependencies').waitFor();
      const graph = page.getByTestId('glidepath-graph');
      await graph.waitFor({ timeout: 60_000 });
      // promotions-service, what it depends on (pricing-db), its dependents
      // (pricing-service, cart-service) and theirs, two hops out.
      const nodes = Number(await graph.getAttribute('data-node-count'));
      assert.ok(
        nodes >= 4 && nodes < 30,
        `a neighbourhood, got ${nodes} nodes`,
      );
      for (const ref of [
        'component:default/promotions-service',
        'component:default/pricing-service',
        'component:default/cart-service',
        'resource:default/pricing-db',
      ]) {
        assert.equal(
          await graph.locator(`[data-entity-ref="${ref}"]`).count(),
          1,
          ref,
        );
      }
      const broken = page.getByTestId('glidepath-broken-requirement');
      await broken.first().waitFor();
      assert.match(
        await broken.first().innerText(),
        /cart-service requires promotions-service@\^2\.0\.0: production runs 1\.5\.0/,
      );
      assert.equal(
        await graph
          .locator('[data-testid="glidepath-graph-edge"][data-broken="true"]')
          .count(),
        1,
      );
      const promotions = graph.locator(
        '[data-entity-ref="component:default/promotions-service"]',
      );
      assert.match(
        await promotions.getAttribute('aria-label'),
        /version 1\.5\.0/,
      );
      // A small graph is drawn at a zoom where its names can be read, so
      // they are drawn (a 1,000-node one, fitted, leaves them out).
      assert.equal(await graph.getAttribute('data-labels'), 'shown');
      await graph
        .getByTestId('glidepath-graph-labels')
        .getByText('promotions-service')
        .waitFor();
      // Legible at the zoom it opens with, in a canvas no taller than the
      // drawing needs (three rows, not the 560 px of a large graph).
      for (const name of ['promotions-service', 'cart-service']) {
        const px = await namePx(page, name);
        assert.ok(px >= 12, `${name} drawn at ${px.toFixed(1)} px`);
      }
      const canvasHeight = Number(await graph.getAttribute('height'));
      assert.ok(canvasHeight < 400, `canvas ${canvasHeight} px tall`);
      // The release order as waves, dependencies first.
      const tabWaves = await waves(page);
      assert.ok(tabWaves.length >= 3, tabWaves.join(' | '));
      assert.match(tabWaves[0], /^Wave 1\s/);
      assert.ok(
        tabWaves.findIndex(w => /promotions-service/.test(w)) <
          tabWaves.findIndex(w => /cart-service/.test(w)),
        `promotions-service is released before cart-service: ${tabWaves.join(
          ' | ',
        )}`,
      );
      await assertGraphFits(page);
      await shot('13-dependencies-tab');

      // The table has the same data, words whole, and the broken
      // requirement in view without scrolling, at 1440 and 1024 px.
      await page.getByTestId('glidepath-view-table').click();
      await page.getByTestId('glidepath-graph-table').waitFor();
      await page.getByText('production: 1.5.0').first().waitFor();
      for (const width of [1440, 1024]) {
        await page.setViewportSize({ width, height: 900 });
        const brokenCell = page.getByTestId('glidepath-table-broken').first();
        assert.match(
          await brokenCell.innerText(),
          /promotions-service@\^2\.0\.0/,
        );
        const box = await brokenCell.boundingBox();
        assert.ok(
          box && box.x >= 0 && box.x + box.width <= width,
          `the broken requirement at ${JSON.stringify(box)} in ${width} px`,
        );
        assert.deepEqual(await wordsBrokenInTable(page), [], `at ${width} px`);
        await assertNothingWider(page);
        await shot(`13b-dependencies-table-${width}`);
      }
      await page.setViewportSize({ width: 1440, height: 900 });
      await page.getByTestId('glidepath-view-graph').click();

      // A node opens its entity.
      await graph
        .locator('[data-entity-ref="component:default/pricing-service"]')
        .click();
      await page.waitForURL(/\/catalog\/default\/component\/pricing-service/);
      await page
        .getByRole('heading', { name: 'pricing-service' })
        .first()
        .waitFor();
    },
  ],
  [
    "the Dependencies page shows a team's services and the whole catalog",
    async ({ page, shot, appUrl }) => {
      // "A team" asks for one, and offers teams only, by their names.
      await page.goto(`${appUrl}/glidepath/dependencies?scope=owner`);
      await page.getByText('Pick a team to see its dependencies').waitFor();
      await page
        .getByTestId('glidepath-graph-scope-value')
        .getByRole('button')
        .click();
      const options = page.getByRole('listbox').getByRole('option');
      await options.nth(1).waitFor();
      const teams = (await options.allInnerTexts()).map(t => t.trim());
      assert.equal(teams[0], 'Choose…');
      for (const team of ['Checkout', 'Payments', 'Platform']) {
        assert.ok(teams.includes(team), `${team} in ${teams.join(', ')}`);
      }
      for (const notATeam of ['Engineering', 'Tidewater Outfitters']) {
        assert.ok(!teams.includes(notATeam), `${notATeam} is not a team`);
      }
      const rest = teams.slice(1);
      assert.deepEqual(
        rest,
        [...rest].sort((a, b) =>
          a.localeCompare(b, undefined, { sensitivity: 'base' }),
        ),
      );
      await shot('14a-dependencies-pick-team');
      await page.keyboard.press('Escape');

      await page.goto(
        `${appUrl}/glidepath/dependencies?owner=group:default/team-checkout&depth=1`,
      );
      const graph = page.getByTestId('glidepath-graph');
      await graph.waitFor({ timeout: 60_000 });
      assert.ok(Number(await graph.getAttribute('data-node-count')) >= 5);
      await page.getByTestId('glidepath-broken-requirement').first().waitFor();
      await shot('14-dependencies-team');

      // Only broken requirements: the two ends of the one broken edge.
      await page
        .getByRole('checkbox', { name: 'Only broken requirements' })
        .check();
      await page.waitForFunction(
        () =>
          document
            .querySelector('[data-testid="glidepath-graph"]')
            ?.getAttribute('data-node-count') === '2',
      );

      await page.goto(`${appUrl}/glidepath/dependencies`);
      await graph.waitFor({ timeout: 60_000 });
      const all = Number(await graph.getAttribute('data-node-count'));
      assert.ok(all >= 30, `the whole demo catalog, got ${all} nodes`);
      // Waves listed, each with its entities (the first few of a large one).
      const catalogWaves = await waves(page);
      assert.ok(catalogWaves.length >= 3, catalogWaves.join(' | '));
      catalogWaves.forEach((wave, i) =>
        assert.match(wave, new RegExp(`^Wave ${i + 1}\\s+\\d+ entit`)),
      );
      const px = await namePx(page, 'promotions-service');
      assert.ok(px >= 12, `names drawn at ${px.toFixed(1)} px`);
      await assertGraphFits(page);
      await shot('15-dependencies-catalog');
      await page.setViewportSize({ width: 1024, height: 900 });
      await page.reload();
      await graph.waitFor({ timeout: 60_000 });
      await waves(page);
      await assertGraphFits(page);
      await shot('15b-dependencies-catalog-1024');
      // The whole catalog's table fits too, words whole.
      await page.getByTestId('glidepath-view-table').click();
      await page.getByTestId('glidepath-graph-table').waitFor();
      await page.getByTestId('glidepath-table-broken').first().waitFor();
      await assertNothingWider(page);
      assert.deepEqual(await wordsBrokenInTable(page), []);
      await shot('15c-dependencies-catalog-table-1024');
      await page.setViewportSize({ width: 1440, height: 900 });
    },
  ],
  [
    'rolling back a release warns about the requirement it would break',
    async ({ page, shot, appUrl }) => {
      await page.goto(
        `${appUrl}/catalog/default/component/promotions-service/releases`,
      );
      await page.getByTestId('glidepath-simulated').first().waitFor();
      const rollback = page.getByRole('button', { name: 'Roll back' }).first();
      await rollback.waitFor();
      // Disabled until the permission check answers; the guest owns it.
      await page.waitForFunction(
        () =>
          [...document.querySelectorAll('button')].some(
            b => /roll back/i.test(b.textContent ?? '') && !b.disabled,
          ),
        undefined,
        { timeout: 15_000 },
      );
      await rollback.click();
      const dialog = page.getByRole('dialog');
      const warning = dialog.getByTestId('glidepath-rollback-breaks');
      await warning.waitFor();
      assert.match(
        await warning.innerText(),
        /Rolling back promotions-service to 1\.4\.2 breaks a requirement\s*pricing-service requires promotions-service@>=1\.5\.0 <2 in production\s*1\.4\.2 does not satisfy a requirement that is already broken\s*cart-service requires promotions-service@\^2\.0\.0 in production/,
      );
      await shot('16-rollback-breaks-requirement');
      await dialog.getByRole('button', { name: 'Cancel' }).click();
    },
  ],
];

// The scaffolder: run Glidepath's "Release checklist" template for a demo
// service in the browser, then tick an item of the checklist on the
// service's Releases tab and see who ticked it.
import assert from 'node:assert/strict';

export const scaffolderTests = [
  [
    "the Release checklist template attaches a checklist that the service's owner ticks on the Releases tab",
    async ({ page, shot, appUrl }) => {
      await page.goto(`${appUrl}/create`);
      await page.getByText('Release checklist', { exact: true }).waitFor();
      await page.getByText('Release game day', { exact: true }).waitFor();
      await page.getByText('Coordinated release', { exact: true }).waitFor();
      await shot('20-scaffolder-templates');
      // Glidepath's actions are in the scaffolder's action list, with docs.
      await page.goto(`${appUrl}/create/actions`);
      for (const id of [
        'glidepath:checklist:create',
        'glidepath:rollback',
        'glidepath:promote',
        'glidepath:rollout:generate',
        'glidepath:drill:schedule',
        'glidepath:game-day:create',
        'glidepath:plan:create',
      ]) {
        await page.getByText(id, { exact: true }).first().waitFor();
      }
      await page
        .getByText(
          /Attaches a release checklist to an entity's current or next release/,
        )
        .first()
        .waitFor();
      await shot('20b-scaffolder-actions');
      await page.goto(
        `${appUrl}/create/templates/default/glidepath-release-checklist`,
      );

      // Step 1: the service, the title, and which release.
      const service = page.getByLabel(/^Service/).first();
      await service.click();
      // The services come sorted by name (EntityPicker kept the catalog's
      // own order).
      await page.getByRole('option').first().waitFor();
      const names = (await page.getByRole('option').allInnerTexts()).map(text =>
        text.split('\n')[0].trim(),
      );
      assert.ok(names.length > 5, `services offered: ${names.join(', ')}`);
      assert.deepEqual(
        names,
        [...names].sort((a, b) =>
          a.localeCompare(b, 'en', { sensitivity: 'base' }),
        ),
      );
      await service.fill('checkout-service');
      await page
        .getByRole('option', { name: /checkout-service/ })
        .first()
        .click();
      const title = page.getByRole('textbox', { name: /Checklist title/ });
      await title.fill('e2e: Checkout release');
      await page.getByText('The release in progress').first().click();
      await page.getByRole('option', { name: /The next release/ }).click();
      await shot('21-release-checklist-form');
      await page.getByRole('button', { name: 'Next', exact: true }).click();

      // Step 2: one item of the team's own.
      await page.getByRole('button', { name: /add/i }).first().click();
      await page
        .getByRole('textbox', { name: /^Item/ })
        .first()
        .fill('e2e: smoke test on staging passed');
      await page.getByRole('button', { name: 'Review', exact: true }).click();
      await page.getByRole('button', { name: 'Create', exact: true }).click();

      // The task runs the glidepath:checklist:create step.
      await page
        .getByText(/7 items, 5 of them required before the final step/)
        .waitFor({ timeout: 60_000 });
      await shot('22-release-checklist-created');
      await page
        .getByRole('button', { name: 'Open the service' })
        .click()
        .catch(() =>
          page.getByRole('link', { name: 'Open the service' }).click(),
        );
      await page.waitForURL(/\/catalog\/default\/component\/checkout-service/);

      // The checklist on the Releases tab: nothing ticked, promotion held.
      // The entity's tab, not the sidebar's Releases page.
      await page
        .locator('a[href$="/component/checkout-service/releases"]', {
          hasText: /^Releases$/,
        })
        .first()
        .click();
      const checklist = page.getByTestId('glidepath-checklist');
      await checklist.waitFor();
      await page.getByText('e2e: Checkout release').first().waitFor();
      assert.match(
        await checklist.getByTestId('glidepath-checklist-gate').innerText(),
        /Holds promotion before the final step: 5 required items are open/,
      );
      await checklist.getByText('0 of 7 done').waitFor();

      // The guest, an owner of checkout-service, ticks an item.
      await checklist
        .getByRole('checkbox', { name: /Rollback plan verified/ })
        .click();
      await checklist.getByText('1 of 7 done').waitFor();
      await checklist.getByText(/Ticked by Guest \(Checkout team\)/).waitFor();
      assert.match(
        await checklist.getByTestId('glidepath-checklist-gate').innerText(),
        /4 required items are open/,
      );
      await shot('23-release-checklist-ticked');
    },
  ],
];

// The smoke test: sign in as guest, browse the catalog, open a service.
import assert from 'node:assert/strict';

export const smokeTests = [
  [
    'a guest signs in',
    async ({ page, shot, appUrl }) => {
      await page.goto(appUrl);
      await page.getByText('Glidepath demo portal').first().waitFor();
      await shot('01-sign-in');
      await page.getByRole('button', { name: 'Enter' }).click();
      // Signed in: the sidebar's catalog entry appears.
      await page
        .getByRole('link', { name: /catalog/i })
        .first()
        .waitFor();
    },
  ],
  [
    'the catalog lists the services the guest owns and, with All, the others',
    async ({ page, shot, appUrl }) => {
      await page.goto(`${appUrl}/catalog`);
      // The catalog opens on "Owned": team-checkout's services.
      await page.getByRole('link', { name: 'checkout-service' }).waitFor();
      await page.getByRole('link', { name: 'cart-service' }).waitFor();
      assert.equal(
        await page.getByRole('link', { name: 'payments-gateway' }).count(),
        0,
      );
      await shot('02-catalog-owned');
      await page.getByText('All', { exact: true }).first().click();
      await page.getByRole('link', { name: 'payments-gateway' }).waitFor();
      await shot('03-catalog-all');
    },
  ],
  [
    "a demo service's entity page shows its owner, system, APIs and dependencies",
    async ({ page, shot, appUrl }) => {
      await page.goto(`${appUrl}/catalog/default/component/checkout-service`);
      await page
        .getByRole('heading', { name: 'checkout-service' })
        .first()
        .waitFor();
      await page.getByText('Turns a cart into a paid order.').first().waitFor();
      // Owner (the Checkout team) and system (Checkout), shown by title.
      await page.getByText('Owner', { exact: true }).first().waitFor();
      assert.ok(
        (await page
          .getByRole('link', { name: 'Checkout', exact: true })
          .count()) >= 2,
      );
      // What it depends on and the APIs it consumes.
      await page.getByRole('link', { name: 'order-service' }).first().waitFor();
      await page.getByRole('link', { name: 'Payments API' }).first().waitFor();
      // The relations card of catalog-graph draws the service's neighbours.
      await page.getByText('Relations').first().waitFor();
      await shot('04-entity-checkout-service');
    },
  ],
];

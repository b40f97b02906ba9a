// The smoke test: sign in as guest, browse the catalog, open a service.
import assert from 'node:assert/strict';

/**
 * Words of the cells of the tables in `container` (a CSS selector) that wrap
 * inside themselves ("Compon|ent"): each run of characters between the
 * places a reader expects a break (spaces, punctuation, hyphens, the @ of a
 * requirement) must sit on one line.
 */
export async function wordsBrokenIn(page, container) {
  return page.evaluate(selector => {
    const broken = [];
    const cells = document.querySelectorAll(`${selector} td, ${selector} th`);
    for (const cell of cells) {
      const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        for (const m of node.textContent.matchAll(/[^\s,;:@\-→·()]{2,}/g)) {
          const range = document.createRange();
          range.setStart(node, m.index);
          range.setEnd(node, m.index + m[0].length);
          const lines = new Set(
            [...range.getClientRects()].map(r => Math.round(r.top)),
          );
          if (lines.size > 1) broken.push(m[0]);
        }
      }
    }
    return broken;
  }, container);
}

/**
 * Fails when a card or table is wider than its container, or a card's
 * content is wider than the card (cut off, or scrolled sideways); and, unless
 * `cardless`, when the page has no card or table at all (nothing checked).
 */
export async function assertNothingWider(page, { cardless = false } = {}) {
  const { checked, wide } = await page.evaluate(() => {
    const outside = el => !el.closest('nav');
    const boxes = [...document.querySelectorAll('.MuiCard-root, table')].filter(
      outside,
    );
    const cards = boxes.filter(el => el.matches('.MuiCard-root'));
    return {
      checked: boxes.length,
      wide: [
        ...boxes
          .filter(
            el =>
              el.parentElement &&
              el.getBoundingClientRect().width >
                el.parentElement.getBoundingClientRect().width + 1,
          )
          .map(el => `${el.tagName} ${el.textContent.slice(0, 60)}`),
        ...cards
          .filter(el => el.scrollWidth > el.clientWidth + 1)
          .map(
            el =>
              `content of ${el.textContent.slice(0, 60)} (${
                el.scrollWidth
              } px in ${el.clientWidth} px)`,
          ),
      ],
    };
  });
  assert.ok(cardless || checked > 0, 'no card or table on the page to check');
  assert.deepEqual(wide, [], `wider than their containers: ${wide.join('; ')}`);
}

export const smokeTests = [
  [
    'a new user signs in with Enter and lands on a home page that leads to the releases in flight',
    async ({ page, shot, appUrl }) => {
      await page.goto(appUrl);
      await page.getByText('Glidepath demo portal').first().waitFor();
      await page.getByRole('button', { name: 'Enter' }).waitFor();
      await shot('01-sign-in');
      // As the README says: press Enter (focus is on the guest's button).
      await page.keyboard.press('Enter');
      // Signed in, on the home page at /, not a 404.
      await page
        .getByRole('heading', { name: 'Tidewater Outfitters developer portal' })
        .waitFor();
      assert.equal(new URL(page.url()).pathname, '/');
      const inFlight = page.getByText(/across the company right now/);
      await inFlight.waitFor({ timeout: 60_000 });
      // The sidebar's pages are named and described.
      for (const name of ['Catalog', 'Dependencies', 'Release analytics']) {
        await page.getByRole('link', { name, exact: true }).first().waitFor();
      }
      // Labels in the sidebar are not cut.
      const cut = await page.evaluate(() =>
        [...document.querySelectorAll('nav a, [class*="Sidebar"] a')]
          .flatMap(a => [...a.querySelectorAll('span, p, div')])
          .filter(
            el =>
              el.children.length === 0 &&
              el.textContent &&
              el.scrollWidth > el.clientWidth + 1,
          )
          .map(el => el.textContent),
      );
      assert.deepEqual(cut, []);
      for (const width of [1440, 1024]) {
        await page.setViewportSize({ width, height: 900 });
        await assertNothingWider(page);
        await shot(`01b-home-${width}`);
      }
      await page.setViewportSize({ width: 1440, height: 900 });
      // A release in flight leads to its service's Releases tab.
      const first = page.locator('table a[href$="/releases"]').first();
      const service = (await first.textContent()).trim();
      await first.click();
      await page.getByRole('heading', { name: service }).first().waitFor();
      assert.match(new URL(page.url()).pathname, /\/releases$/);
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
      // More than a page of components: find another team's by its name.
      await page.getByPlaceholder('Search').fill('payments');
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

// Every page a new user reaches from the sidebar and a service's tabs, at
// 1440 and at 1024 px: it loads, and no card or table is wider than its
// container (nor a card's content wider than the card). Screenshots of each,
// at both widths, in e2e/artifacts/pages/.
import { resolve } from 'node:path';
import { artifactsDir } from './portal.mjs';
import { assertNothingWider } from './smoke.mjs';

/**
 * [name, path, what shows once the page has loaded, how to check it]:
 * 'cards' must have cards or tables, none too wide; 'cardless' may have none
 * (the Dependencies tab draws its graph without a card); 'stock' is
 * Backstage's own page (its catalog table scrolls sideways at 1024 px),
 * photographed for the look but not checked.
 */
const PAGES = [
  ['home', '/', '.MuiCard-root', 'cards'],
  ['catalog', '/catalog', 'table', 'stock'],
  [
    'overview',
    '/catalog/default/component/checkout-service',
    '.MuiCard-root',
    'cards',
  ],
  [
    'releases',
    '/catalog/default/component/checkout-service/releases',
    '[data-testid="glidepath-releases"]',
    'cards',
  ],
  [
    'dependencies-tab',
    '/catalog/default/component/promotions-service/dependencies',
    '[data-testid="glidepath-dependencies"]',
    'cardless',
  ],
  [
    'release-health',
    '/catalog/default/component/checkout-service/release-health',
    '.MuiCard-root',
    'cards',
  ],
  [
    'dependencies-page',
    '/glidepath/dependencies',
    '[data-testid="glidepath-dependency-page"]',
    'cardless',
  ],
  [
    'analytics',
    '/glidepath/analytics',
    '[data-testid="glidepath-analytics-intro"]',
    'cards',
  ],
  ['create', '/create', '.MuiCard-root', 'stock'],
  ['notifications', '/notifications', 'table, .MuiCard-root', 'stock'],
];

export const pageTests = [
  [
    'every page fits at 1440 and 1024 px, with nothing wider than its container',
    async ({ page, appUrl }) => {
      try {
        for (const width of [1440, 1024]) {
          await page.setViewportSize({ width, height: 900 });
          for (const [name, path, ready, check] of PAGES) {
            await page.goto(`${appUrl}${path}`);
            await page.locator(ready).first().waitFor({ timeout: 60_000 });
            // Let the cards that load on their own settle.
            await page
              .waitForLoadState('networkidle', { timeout: 10_000 })
              .catch(() => {});
            await page.waitForTimeout(1500);
            try {
              if (check !== 'stock') {
                await assertNothingWider(page, {
                  cardless: check === 'cardless',
                });
              }
            } finally {
              await page.screenshot({
                path: resolve(artifactsDir, 'pages', `${name}-${width}.png`),
                fullPage: true,
              });
            }
          }
        }
      } finally {
        await page.setViewportSize({ width: 1440, height: 900 });
      }
    },
  ],
];

import { createExtensionTester } from '@backstage/frontend-test-utils';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import { coreExtensionData } from '@backstage/frontend-plugin-api';
import { screen } from '@testing-library/react';
import glidepathPlugin, {
  glidepathFlagsEntityContent,
  glidepathFlagsPage,
  glidepathGameDaysPage,
  glidepathPlanPage,
  glidepathReleaseEntityCard,
  glidepathReleasesEntityContent,
  glidepathReleasesPage,
} from './alpha';
import { fakeGlidepathApi } from './__testUtils__/api';
import { checkoutService } from './__testUtils__/releases';
import { renderForEntity } from './__testUtils__/render';

const unannotated = {
  ...checkoutService,
  metadata: { name: 'legacy-batch', annotations: {} },
};

// Rendering on a busy machine can take a few seconds.
jest.setTimeout(20_000);

describe('glidepath plugin for the new frontend system', () => {
  it('installs its API, the Releases tab and the release card', () => {
    expect(glidepathPlugin.getExtension('api:glidepath')).toBeDefined();
    expect(
      glidepathPlugin.getExtension('entity-content:glidepath/releases'),
    ).toBeDefined();
    expect(
      glidepathPlugin.getExtension('entity-card:glidepath/release'),
    ).toBeDefined();
  });

  it('shows the Releases tab at /releases only on annotated entities', () => {
    const tester = createExtensionTester(glidepathReleasesEntityContent);
    expect(tester.get(coreExtensionData.routePath)).toBe('/releases');
    expect(tester.get(EntityContentBlueprint.dataRefs.title)).toBe('Releases');
    const filter = tester.get(EntityContentBlueprint.dataRefs.filterFunction);
    expect(filter?.(checkoutService)).toBe(true);
    expect(filter?.(unannotated)).toBe(false);
  });

  it('installs the Feature flags page at /glidepath/flags', () => {
    expect(glidepathPlugin.getExtension('page:glidepath/flags')).toBeDefined();
    const tester = createExtensionTester(glidepathFlagsPage);
    expect(tester.get(coreExtensionData.routePath)).toBe('/glidepath/flags');
  });

  it('installs the Game days page at /glidepath/game-days', () => {
    expect(
      glidepathPlugin.getExtension('page:glidepath/game-days'),
    ).toBeDefined();
    const tester = createExtensionTester(glidepathGameDaysPage);
    expect(tester.get(coreExtensionData.routePath)).toBe(
      '/glidepath/game-days',
    );
  });

  it('installs the Releases page at /glidepath/releases and a plan page at /glidepath/plans/:planId', () => {
    expect(
      glidepathPlugin.getExtension('page:glidepath/releases'),
    ).toBeDefined();
    expect(
      createExtensionTester(glidepathReleasesPage).get(
        coreExtensionData.routePath,
      ),
    ).toBe('/glidepath/releases');
    expect(glidepathPlugin.getExtension('page:glidepath/plan')).toBeDefined();
    const plan = createExtensionTester(glidepathPlanPage);
    expect(plan.get(coreExtensionData.routePath)).toBe(
      '/glidepath/plans/:planId',
    );
    // Reached from the Releases page, not from the sidebar.
    expect(plan.get(coreExtensionData.icon)).toBeUndefined();
  });

  it('shows the Feature flags tab at /feature-flags only on entities that name their flags', () => {
    expect(
      glidepathPlugin.getExtension('entity-content:glidepath/flags'),
    ).toBeDefined();
    const tester = createExtensionTester(glidepathFlagsEntityContent);
    expect(tester.get(coreExtensionData.routePath)).toBe('/feature-flags');
    expect(tester.get(EntityContentBlueprint.dataRefs.title)).toBe(
      'Feature flags',
    );
    const filter = tester.get(EntityContentBlueprint.dataRefs.filterFunction);
    expect(filter?.(checkoutService)).toBe(false);
    expect(
      filter?.({
        ...checkoutService,
        metadata: {
          name: 'checkout-service',
          annotations: { 'glidepath.dev/flags': 'sandbox:checkout-service' },
        },
      }),
    ).toBe(true);
  });

  it('shows the release card only on annotated entities, as an info card beside About', () => {
    const tester = createExtensionTester(glidepathReleaseEntityCard);
    const filter = tester.get(EntityCardBlueprint.dataRefs.filterFunction);
    expect(filter?.(checkoutService)).toBe(true);
    expect(filter?.(unannotated)).toBe(false);
    expect(tester.get(EntityCardBlueprint.dataRefs.type)).toBe('info');
  });

  it('renders the Releases tab through its extension', async () => {
    const api = fakeGlidepathApi();
    const tester = createExtensionTester(glidepathReleasesEntityContent);
    await renderForEntity(tester.reactElement(), { api });
    // The tab's lazy parts load first: generous on a loaded machine.
    expect(
      await screen.findByTestId('glidepath-version', {}, { timeout: 10_000 }),
    ).toHaveTextContent('1.4.2 → 1.5.0');
  });
});

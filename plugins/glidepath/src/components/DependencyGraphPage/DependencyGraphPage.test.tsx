import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { catalogApiRef, entityRouteRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { glidepathApiRef } from '../../api';
import { fakeGlidepathApi } from '../../__testUtils__/api';
import { ALLOW } from '../../__testUtils__/render';
import { DependencyGraphPage, scopeChoices } from './DependencyGraphPage';

jest.setTimeout(20_000);

function group(
  name: string,
  type: string,
  names: { title?: string; displayName?: string } = {},
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name, namespace: 'default', title: names.title },
    spec: {
      type,
      children: [],
      profile: names.displayName ? { displayName: names.displayName } : {},
    },
  };
}

const GROUPS = [
  group('tidewater', 'organization', {
    title: 'Tidewater Outfitters',
    displayName: 'Tidewater Outfitters',
  }),
  group('engineering', 'department', { title: 'Engineering' }),
  group('team-payments', 'team', { title: 'Payments' }),
  group('team-checkout', 'team', {
    title: 'Checkout',
    displayName: 'Checkout crew',
  }),
  group('team-zeta', 'team'),
];

describe('scopeChoices', () => {
  it.each([
    [
      'owner',
      [
        ['Checkout crew', 'group:default/team-checkout'],
        ['Payments', 'group:default/team-payments'],
        ['team-zeta', 'group:default/team-zeta'],
      ],
    ],
    [
      'system',
      [
        ['Engineering', 'group:default/engineering'],
        ['Payments', 'group:default/team-payments'],
        ['team-checkout', 'group:default/team-checkout'],
        ['team-zeta', 'group:default/team-zeta'],
        ['Tidewater Outfitters', 'group:default/tidewater'],
      ],
    ],
  ] as const)(
    'for %s: teams only by display name, sorted',
    (scopeType, expected) => {
      // Groups stand in for systems: only teams are filtered, and only the
      // profile of a team is read.
      const withTitles = GROUPS.map(g =>
        g.metadata.name === 'team-checkout' && scopeType === 'system'
          ? { ...g, metadata: { ...g.metadata, title: undefined } }
          : g,
      );
      expect(
        scopeChoices(withTitles, scopeType).map(c => [c.label, c.value]),
      ).toEqual(expected);
    },
  );
});

describe('DependencyGraphPage', () => {
  it('asks to pick a team, and lists only teams by their names', async () => {
    const api = fakeGlidepathApi();
    await renderInTestApp(<DependencyGraphPage />, {
      apis: [
        [glidepathApiRef, api],
        [catalogApiRef, catalogApiMock({ entities: GROUPS })],
        mockApis.permission({ authorize: ALLOW }),
      ] as any,
      initialRouteEntries: ['/?scope=owner'],
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
    });
    expect(
      await screen.findByText('Pick a team to see its dependencies'),
    ).toBeInTheDocument();
    expect(api.getDependencyGraph).not.toHaveBeenCalled();

    const user = userEvent.setup();
    await user.click(screen.getByLabelText('Team'));
    const listbox = await screen.findByRole('listbox');
    await waitFor(() =>
      expect(
        within(listbox)
          .getAllByRole('option')
          .map(o => o.textContent),
      ).toEqual(['Choose…', 'Checkout crew', 'Payments', 'team-zeta']),
    );
  });
});

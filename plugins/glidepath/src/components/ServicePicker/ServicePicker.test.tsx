import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import type { Entity } from '@backstage/catalog-model';
import { ServicePicker } from './ServicePicker';

const component = (name: string, annotated = true): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name,
    ...(annotated && {
      annotations: { 'glidepath.dev/rollout': `sandbox:${name}` },
    }),
  },
});

async function renderPicker(onChange = jest.fn(), formData?: string) {
  const catalog = catalogApiMock({
    entities: [
      component('web-storefront'),
      component('cart-service'),
      component('unwatched', false),
      component('api-gateway'),
    ],
  });
  await renderInTestApp(
    <TestApiProvider apis={[[catalogApiRef, catalog]]}>
      <ServicePicker
        {...({
          onChange,
          formData,
          required: true,
          rawErrors: [],
          schema: {
            title: 'Service',
            description: 'A service Glidepath follows.',
          },
          uiSchema: {
            'ui:options': {
              catalogFilter: [
                {
                  kind: 'Component',
                  'metadata.annotations.glidepath.dev/rollout': {
                    exists: true,
                  },
                },
              ],
            },
          },
          idSchema: { $id: 'root_entity' },
        } as any)}
      />
    </TestApiProvider>,
  );
  return onChange;
}

describe('ServicePicker', () => {
  it('lists the matching services sorted by name, and gives the chosen one as a reference', async () => {
    const onChange = await renderPicker();
    expect(
      screen.getByText('A service Glidepath follows.'),
    ).toBeInTheDocument();
    await userEvent.click(screen.getByLabelText(/^Service/));
    const list = await screen.findByRole('listbox');
    const options = await within(list).findAllByRole('option');
    expect(options.map(o => o.textContent)).toEqual([
      'api-gateway',
      'cart-service',
      'web-storefront',
    ]);
    await userEvent.click(options[1]);
    expect(onChange).toHaveBeenLastCalledWith('component:default/cart-service');
  });

  it('shows the chosen service by its name', async () => {
    await renderPicker(jest.fn(), 'component:default/web-storefront');
    expect(
      await screen.findByDisplayValue('web-storefront'),
    ).toBeInTheDocument();
  });
});

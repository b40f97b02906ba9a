import { ReactElement } from 'react';
import { act } from '@testing-library/react';
import type { Entity } from '@backstage/catalog-model';
import { ResponseError } from '@backstage/errors';
import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { signalApiRef, SignalApi } from '@backstage/plugin-signals-react';
import type { GlidepathApi } from '@glidepath/backstage-plugin-common';
import { glidepathApiRef } from '../api';
import { checkoutService } from './releases';

type PermissionOptions = NonNullable<Parameters<typeof mockApis.permission>[0]>;
type Decision = Exclude<
  NonNullable<PermissionOptions['authorize']>,
  (...args: any[]) => any
>;
/** The permission framework's decisions, without importing its package. */
export const ALLOW = 'ALLOW' as Decision;
export const DENY = 'DENY' as Decision;

/** A signal API whose messages the test sends. */
export function fakeSignals() {
  const subscribers = new Map<string, Set<(message: any) => void>>();
  const api: SignalApi = {
    subscribe(channel, onMessage) {
      const set = subscribers.get(channel) ?? new Set();
      set.add(onMessage as (message: any) => void);
      subscribers.set(channel, set);
      return {
        unsubscribe: () => set.delete(onMessage as (message: any) => void),
      };
    },
  };
  return {
    api,
    channels: () => [...subscribers.keys()],
    publish(channel: string, message: object) {
      act(() => {
        subscribers.get(channel)?.forEach(fn => fn(message));
      });
    },
  };
}

/** Renders an element on an entity page with the given fakes. */
export function renderForEntity(
  element: ReactElement,
  options: {
    api: GlidepathApi;
    entity?: Entity;
    authorize?: PermissionOptions['authorize'];
    signals?: SignalApi;
  },
) {
  const apis: any[] = [
    [glidepathApiRef, options.api],
    mockApis.permission({ authorize: options.authorize ?? ALLOW }),
  ];
  if (options.signals) {
    apis.push([signalApiRef, options.signals]);
  }
  return renderInTestApp(
    <EntityProvider entity={options.entity ?? checkoutService}>
      {element}
    </EntityProvider>,
    {
      apis: apis as [],
      mountedRoutes: {
        '/catalog/:namespace/:kind/:name': entityRouteRef,
      },
    },
  );
}

/** An error as GlidepathClient throws it for an error response. */
export async function responseError(
  status: number,
  statusText: string,
  name: string,
  message: string,
): Promise<ResponseError> {
  return ResponseError.fromResponse(
    new Response(
      JSON.stringify({
        error: { name, message },
        request: {
          method: 'POST',
          url: '/api/glidepath/releases/rel-1/actions',
        },
        response: { statusCode: status },
      }),
      { status, statusText, headers: { 'content-type': 'application/json' } },
    ),
  );
}

/** A promise the test settles. */
export function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

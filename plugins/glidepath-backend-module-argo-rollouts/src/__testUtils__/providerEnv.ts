/**
 * The set-up of the provider's contract tests: a local HTTP server that
 * speaks the Kubernetes REST paths, loaded with the real objects of the
 * shared fixtures, and a provider reading cluster prod-eu from it.
 */
import type { Entity } from '@backstage/catalog-model';
import type { RolloutTarget } from '@glidepath/backstage-plugin-node';
import { ArgoRolloutsProvider } from '../ArgoRolloutsProvider';
import type { ClusterConfig } from '../config';
import type { KubeObject } from '../objects';
import {
  startFakeKubernetes,
  type ForcedAnswer,
  type RecordedRequest,
} from './fakeKubernetes';
import { allFixtureObjects, editedFixture, fixture } from './fixtures';

export const TOKEN = 's3cret-token';
export const ROLLOUTS =
  '/apis/argoproj.io/v1alpha1/namespaces/jesse-test/rollouts';

export function target(
  ref: string,
  annotations: Record<string, string> = {},
  name = 'checkout',
): RolloutTarget {
  const entity: Entity = {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      annotations: {
        'glidepath.dev/rollout': `argo-rollouts:${ref}`,
        ...annotations,
      },
    },
    spec: {},
  };
  return { entityRef: `component:default/${name}`, ref, entity };
}

export function cluster(
  name: string,
  url: string,
  extra: Partial<ClusterConfig> = {},
): ClusterConfig {
  return {
    name,
    environment: name === 'prod-eu' ? 'production' : name,
    url,
    credentials: { type: 'token', token: TOKEN },
    caData: null,
    skipTLSVerify: false,
    source: 'config',
    namespaces: null,
    ...extra,
  };
}

export function objects(): KubeObject[] {
  const all = allFixtureObjects();
  return [
    ...all.rollouts.filter(r => (r.metadata as any).name !== 'bluegreen-demo'),
    editedFixture('blue-green/bluegreen-rollout.yaml', o => {
      o.metadata.labels['backstage.io/kubernetes-id'] = 'storefront';
    }),
    fixture('canary/canary-rollout3.yaml'),
    editedFixture('canary/canary-rollout.yaml', o => {
      o.metadata.name = 'broken';
      o.metadata.uid = 'broken-uid';
      o.spec.strategy = { canary: { steps: [{ setWeight: 'lots' }] } };
    }),
    ...all.replicaSets,
    ...all.analysisRuns,
    fixture('canary/canary-ref-deploy.yaml'),
  ];
}

export async function setUp(
  options: {
    answer?: (request: RecordedRequest) => ForcedAnswer;
    statusSubresource?: boolean;
    pageSize?: number;
    extraClusters?: ClusterConfig[];
  } = {},
) {
  const server = await startFakeKubernetes({
    objects: objects(),
    token: TOKEN,
    answer: options.answer,
    statusSubresource: options.statusSubresource,
  });
  let now = 1_000_000;
  const provider = new ArgoRolloutsProvider({
    clusters: [
      cluster('prod-eu', server.url),
      ...(options.extraClusters ?? []),
    ],
    pollIntervalMs: 10_000,
    requestTimeoutMs: 2_000,
    pageSize: options.pageSize,
    now: () => now,
  });
  return {
    server,
    provider,
    advance(ms: number) {
      now += ms;
    },
    /** The requests after the fresh read every action starts with. */
    writes: () =>
      server.requests.filter(
        r => r.method !== 'GET' || !r.path.startsWith(ROLLOUTS),
      ),
    async tearDown() {
      provider.stop();
      await server.stop();
    },
  };
}

/** What a test works with: the server, the provider and the clock. */
export type ProviderEnv = Awaited<ReturnType<typeof setUp>>;

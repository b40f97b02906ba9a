/*
 * The plans bench's catalog: `layers` x `perLayer` sandbox services (200 in
 * 10 layers of 20 by default). Layer 0 depends on nothing; each service of
 * layer n > 0 depends (spec.dependsOn) on one or two services of layer
 * n - 1, drawn from the seed, so the release order has exactly `layers`
 * layers. Owners are four teams; the guest user belongs to all four, so
 * that the portal's ownership policy lets it release every service.
 */
import { stringify } from 'yaml';

export const TEAMS = ['team-a', 'team-b', 'team-c', 'team-d'];

/** mulberry32 over a string hash: the same seed, the same catalog. */
function random(...parts: Array<string | number>) {
  let h = 0x811c9dc5;
  for (const c of parts.join('\u0000')) {
    h ^= c.charCodeAt(0);
    h = Math.imul(h, 0x01000193);
  }
  let state = h >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function serviceName(layer: number, i: number): string {
  return `plan-l${String(layer).padStart(2, '0')}-s${String(i).padStart(
    2,
    '0',
  )}`;
}

export type BenchService = {
  name: string;
  layer: number;
  owner: string;
  dependsOn: string[];
};

export function benchServices(
  layers: number,
  perLayer: number,
  seed: string,
): BenchService[] {
  const services: BenchService[] = [];
  for (let layer = 0; layer < layers; layer++) {
    for (let i = 0; i < perLayer; i++) {
      const next = random(seed, layer, i);
      const dependsOn = new Set<string>();
      if (layer > 0) {
        const count = next() < 0.5 ? 1 : 2;
        while (dependsOn.size < count) {
          dependsOn.add(serviceName(layer - 1, Math.floor(next() * perLayer)));
        }
      }
      services.push({
        name: serviceName(layer, i),
        layer,
        owner: TEAMS[(layer * perLayer + i) % TEAMS.length],
        dependsOn: [...dependsOn].sort(),
      });
    }
  }
  return services;
}

/** The catalog file's YAML: the groups, the guest and the services. */
export function catalogYaml(services: BenchService[]): string {
  const docs: object[] = [
    ...TEAMS.map(team => ({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Group',
      metadata: { name: team },
      spec: { type: 'team', children: [] },
    })),
    {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'User',
      metadata: { name: 'guest' },
      spec: { profile: { displayName: 'Guest' }, memberOf: TEAMS },
    },
    ...services.map(s => ({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        name: s.name,
        annotations: { 'glidepath.dev/rollout': `sandbox:${s.name}` },
      },
      spec: {
        type: 'service',
        lifecycle: 'production',
        owner: `group:default/${s.owner}`,
        ...(s.dependsOn.length
          ? { dependsOn: s.dependsOn.map(d => `component:default/${d}`) }
          : {}),
      },
    })),
  ];
  return docs.map(d => stringify(d)).join('---\n');
}

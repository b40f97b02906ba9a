import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { AlphaEntity } from '@backstage/catalog-model/alpha';
import {
  DEFAULT_ENVIRONMENTS,
  readGlidepathAnnotations,
} from '@glidepath/backstage-plugin-common';
import { DemoBackend, startDemoBackend } from './__testUtils__/demoBackend';

jest.setTimeout(60_000);

const refOf = (e: Entity) => stringifyEntityRef(e);

/** Full ref of a reference written in a spec field, as the catalog resolves it. */
function fullRef(ref: string, defaultKind: string) {
  return stringifyEntityRef(
    parseEntityRef(ref, { defaultKind, defaultNamespace: 'default' }),
  );
}

function relationTargets(entity: Entity, type: string): string[] {
  return (entity.relations ?? [])
    .filter(r => r.type === type)
    .map(r => r.targetRef)
    .sort();
}

describe('the demo catalog (examples/ and catalog-info.yaml)', () => {
  let demo: DemoBackend;
  let entities: Entity[];
  let byRef: Map<string, Entity>;

  beforeAll(async () => {
    demo = await startDemoBackend();
    entities = await demo.fetchAllEntities();
    byRef = new Map(entities.map(e => [refOf(e), e]));
  }, 120_000);

  it('loads with no processing errors', () => {
    const problems = (entities as AlphaEntity[]).flatMap(e =>
      (e.status?.items ?? [])
        .filter(item => item.level === 'error')
        .map(item => `${refOf(e)}: ${item.error?.message ?? item.type}`),
    );
    expect(problems).toEqual([]);
  });

  it('looks like a real company', () => {
    const count = (kind: string, type?: string) =>
      entities.filter(
        e => e.kind === kind && (!type || (e.spec as any)?.type === type),
      ).length;
    expect(count('Component')).toBeGreaterThanOrEqual(25);
    expect(count('System')).toBeGreaterThanOrEqual(4);
    expect(count('Domain')).toBeGreaterThanOrEqual(4);
    expect(count('Group', 'team')).toBeGreaterThanOrEqual(4);
    expect(count('API')).toBeGreaterThanOrEqual(10);
    expect(count('Resource')).toBeGreaterThanOrEqual(5);
    expect(count('User')).toBeGreaterThanOrEqual(5);

    const owners = new Set(
      entities
        .filter(
          e => e.kind === 'Component' && e.metadata.namespace === 'default',
        )
        .filter(e => (e.spec as any).system !== 'glidepath')
        .map(e => (e.spec as any).owner),
    );
    expect(owners.size).toBeGreaterThanOrEqual(4);
  });

  it('has a relation for every reference the examples declare', () => {
    const declared: Array<[string, string, string]> = [
      ['owner', 'ownedBy', 'group'],
      ['system', 'partOf', 'system'],
      ['domain', 'partOf', 'domain'],
      ['providesApis', 'providesApi', 'api'],
      ['consumesApis', 'consumesApi', 'api'],
      ['dependsOn', 'dependsOn', 'component'],
      ['memberOf', 'memberOf', 'group'],
      ['parent', 'childOf', 'group'],
    ];
    const missing: string[] = [];
    for (const entity of entities) {
      const spec = (entity.spec ?? {}) as Record<string, unknown>;
      for (const [field, relation, defaultKind] of declared) {
        const value = spec[field];
        if (value === undefined) continue;
        const refs = (Array.isArray(value) ? value : [value]).map(v =>
          fullRef(String(v), defaultKind),
        );
        const targets = relationTargets(entity, relation);
        for (const ref of refs) {
          if (!targets.includes(ref)) {
            missing.push(`${refOf(entity)} ${field} ${ref}`);
          }
        }
      }
    }
    expect(missing).toEqual([]);
  });

  it('states version requirements that parse and name entities in the catalog', () => {
    const requirements = entities.flatMap(e => {
      const read = readGlidepathAnnotations(e);
      // (returns-service's rollout annotation is broken on purpose.)
      expect(
        read.problems.filter(p => p.annotation === 'glidepath.dev/requires'),
      ).toEqual([]);
      return (read.requires ?? []).map(r => r.entityRef);
    });
    expect(requirements.length).toBeGreaterThanOrEqual(5);
    const known = new Set(
      entities.map(e => refOf(e).toLocaleLowerCase('en-US')),
    );
    expect(requirements.filter(ref => !known.has(ref))).toEqual([]);
  });

  it('names rollout targets per environment that parse, staging first for some', () => {
    const rollouts = entities.flatMap(e => {
      const read = readGlidepathAnnotations(e, {
        environments: DEFAULT_ENVIRONMENTS,
      });
      // (returns-service's rollout annotation is broken on purpose.)
      return e.metadata.annotations?.['glidepath.dev/rollout'] &&
        e.metadata.name !== 'returns-service'
        ? [{ ref: refOf(e), read }]
        : [];
    });
    expect(rollouts.length).toBeGreaterThanOrEqual(20);
    const problems = rollouts.flatMap(({ ref, read }) =>
      read.problems
        .filter(p => p.annotation === 'glidepath.dev/rollout')
        .map(p => `${ref}: ${p.message}`),
    );
    expect(problems).toEqual([]);
    const staged = rollouts
      .filter(({ read }) => (read.rollouts ?? []).length > 1)
      .sort((a, b) => a.ref.localeCompare(b.ref))
      .map(({ ref, read }) => [
        ref,
        read.rollouts!.map(r => `${r.environment}=${r.provider}:${r.ref}`),
      ]);
    expect(staged).toEqual([
      [
        'component:default/inventory-service',
        [
          'staging=sandbox:inventory-staging',
          'production=sandbox:inventory-service',
        ],
      ],
      [
        'component:default/receipts-service',
        [
          'staging=sandbox:receipts-staging',
          'production=sandbox:receipts-service',
        ],
      ],
      [
        'component:default/web-storefront',
        [
          'staging=sandbox:web-storefront-staging',
          'production=sandbox:web-storefront',
        ],
      ],
    ]);
  });

  it('has no relation to an entity that does not exist', () => {
    const dangling = entities.flatMap(e =>
      (e.relations ?? [])
        .filter(r => !byRef.has(r.targetRef))
        .map(r => `${refOf(e)} ${r.type} ${r.targetRef}`),
    );
    expect(dangling).toEqual([]);
  });

  it('makes the guest a member of one team that owns some services and not others', () => {
    const guest = byRef.get('user:default/guest')!;
    expect(relationTargets(guest, 'memberOf')).toEqual([
      'group:default/team-checkout',
    ]);
    const components = entities.filter(e => e.kind === 'Component');
    const owned = components.filter(c =>
      relationTargets(c, 'ownedBy').includes('group:default/team-checkout'),
    );
    expect(owned.length).toBeGreaterThan(0);
    expect(owned.length).toBeLessThan(components.length);
  });

  it('has a release-admins group with a member, for the admin side of the policy', () => {
    const admins = byRef.get('group:default/release-admins')!;
    expect(relationTargets(admins, 'hasMember')).toContain(
      'user:default/elena.petrova',
    );
  });

  it('gives services dependencies on other services and on resources', () => {
    const dependsOn = entities
      .filter(e => e.kind === 'Component')
      .flatMap(e => relationTargets(e, 'dependsOn'));
    expect(dependsOn.some(r => r.startsWith('component:'))).toBe(true);
    expect(dependsOn.some(r => r.startsWith('resource:'))).toBe(true);
  });
});

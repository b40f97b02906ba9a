/**
 * Contract tests of the LaunchDarkly provider against a stand-in for
 * LaunchDarkly's REST API v2 (src/__testUtils__/launchDarklyStandIn.ts,
 * which names the documentation page of every request and response shape
 * it serves). They prove the requests Glidepath sends and how it reads the
 * documented answers; not how the real service answers (no account here):
 * see the README.
 */
import type { Entity } from '@backstage/catalog-model';
import type { Actor } from '@glidepath/backstage-plugin-common';
import type {
  FlagPage,
  FlagTarget,
  ObservedFlag,
} from '@glidepath/backstage-plugin-node';
import { createServer, type AddressInfo } from 'node:net';
import {
  LD_READER_TOKEN,
  LD_TEST_TOKEN,
  startLaunchDarklyStandIn,
  type LaunchDarklyStandIn,
  type StandInProject,
} from './__testUtils__/launchDarklyStandIn';
import type { LaunchDarklyConfig } from './config';
import { LaunchDarklyFlagProvider } from './LaunchDarklyFlagProvider';
import type { LdFlag, LdFlagConfig } from './mapping';

const DAY = 86_400_000;
const NOW = Date.now();
const ago = (days: number) => NOW - days * DAY;
const CLEANUP: Actor = { kind: 'policy', ref: 'flag-cleanup' };

const bool = [
  { _id: 'v-true', value: true },
  { _id: 'v-false', value: false },
];
const on = (
  fallthrough: LdFlagConfig['fallthrough'],
  more: Partial<LdFlagConfig> = {},
): LdFlagConfig => ({
  on: true,
  archived: false,
  lastModified: ago(100),
  targets: [],
  contextTargets: [],
  rules: [],
  fallthrough,
  offVariation: 1,
  prerequisites: [],
  ...more,
});
const off = (offVariation = 1): LdFlagConfig => ({
  on: false,
  archived: false,
  lastModified: ago(60),
  targets: [],
  rules: [],
  fallthrough: { variation: 0 },
  offVariation,
  prerequisites: [],
});

function flag(key: string, more: Partial<LdFlag>): LdFlag {
  return {
    key,
    name: key.replace(/-/g, ' '),
    kind: 'boolean',
    creationDate: ago(30),
    variations: bool,
    temporary: true,
    tags: [],
    archived: false,
    deprecated: false,
    environments: {},
    ...more,
  };
}

function webApp(): StandInProject {
  return {
    environments: [
      { key: 'production', name: 'Production', critical: true },
      { key: 'staging', name: 'Staging' },
    ],
    flags: [
      flag('new-checkout', {
        creationDate: ago(200),
        tags: ['checkout'],
        _maintainer: { _id: 'm1', email: 'ana@example.com', firstName: 'Ana' },
        environments: {
          production: on({ variation: 0 }),
          staging: on({ variation: 0 }, { lastModified: ago(120) }),
        },
      }),
      flag('pricing-experiment', {
        kind: 'multivariate',
        variations: [
          { _id: 'a', value: 'control', name: 'Control' },
          { _id: 'b', value: { price: 9 }, name: 'Cheaper' },
        ],
        tags: ['checkout', 'experiment'],
        environments: {
          production: on({
            rollout: {
              variations: [
                { variation: 0, weight: 50000 },
                { variation: 1, weight: 50000 },
              ],
            },
          }),
          staging: on({ variation: 1 }),
        },
      }),
      flag('old-banner', {
        creationDate: ago(400),
        _maintainerTeam: { key: 'team-web', name: 'Web' },
        environments: { production: off(), staging: off() },
      }),
      flag('payments-kill-switch', {
        temporary: false,
        tags: ['payments'],
        environments: {
          production: on(
            { variation: 0 },
            { rules: [{ clauses: [{}], variation: 1 }] },
          ),
          staging: on(
            { variation: 0 },
            { targets: [{ values: ['qa'], variation: 1 }] },
          ),
        },
      }),
      flag('beta-access', {
        tags: ['checkout'],
        environments: {
          production: on(
            { variation: 0 },
            { prerequisites: [{ key: 'new-checkout', variation: 0 }] },
          ),
          staging: on({ variation: 0 }),
        },
      }),
    ],
    statuses: {
      production: {
        'new-checkout': {
          name: 'launched',
          lastRequested: new Date(NOW - 3_600_000).toISOString(),
          default: false,
        },
        'pricing-experiment': {
          name: 'active',
          lastRequested: new Date(NOW - 60_000).toISOString(),
        },
        'old-banner': { name: 'inactive' },
        'payments-kill-switch': {
          name: 'active',
          lastRequested: new Date(NOW - 5_000).toISOString(),
        },
        'beta-access': { name: 'new' },
      },
      staging: {
        'new-checkout': {
          name: 'launched',
          lastRequested: new Date(ago(2)).toISOString(),
        },
      },
    },
  };
}

function bulk(count: number): StandInProject {
  return {
    environments: [{ key: 'production', name: 'Production', critical: true }],
    flags: Array.from({ length: count }, (_, i) =>
      flag(`bulk-${String(i + 1).padStart(3, '0')}`, {
        creationDate: ago(i),
        environments: { production: off() },
      }),
    ),
    statuses: { production: {} },
  };
}

function target(name: string, ref: string): FlagTarget {
  const entity: Entity = {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      annotations: { 'glidepath.dev/flags': `launchdarkly:${ref}` },
    },
    spec: { type: 'service', owner: 'team-a', lifecycle: 'production' },
  };
  return { entityRef: `component:default/${name}`, ref, entity };
}

const signal = () => AbortSignal.timeout(10_000);

async function listAll(
  provider: LaunchDarklyFlagProvider,
  targets: FlagTarget[],
  pageSize = 100,
) {
  const pages: FlagPage[] = [];
  let cursor: string | undefined;
  do {
    const page = await provider.listFlags({
      targets,
      cursor,
      pageSize,
      signal: signal(),
    });
    pages.push(page);
    cursor = page.nextCursor;
  } while (cursor);
  const byTarget = new Map<string, ObservedFlag[] | string>();
  for (const item of pages.flatMap(p => p.items)) {
    const key = `${item.entityRef} ${item.ref}`;
    if ('error' in item) byTarget.set(key, item.error);
    else {
      const known = byTarget.get(key);
      byTarget.set(key, [
        ...(Array.isArray(known) ? known : []),
        ...item.flags,
      ]);
    }
  }
  return { pages, byTarget };
}

function flagsOf(result: Awaited<ReturnType<typeof listAll>>, t: FlagTarget) {
  const value = result.byTarget.get(`${t.entityRef} ${t.ref}`);
  if (!Array.isArray(value)) throw new Error(`no flags for ${t.ref}: ${value}`);
  return value;
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  await new Promise(r => server.close(r));
  return port;
}

describe('LaunchDarklyFlagProvider against a stand-in for its REST API', () => {
  let ld: LaunchDarklyStandIn;
  const config = (
    more: Partial<LaunchDarklyConfig> = {},
  ): LaunchDarklyConfig => ({
    baseUrl: ld.url,
    token: LD_TEST_TOKEN,
    timeoutMs: 5_000,
    ...more,
  });

  beforeEach(async () => {
    ld = await startLaunchDarklyStandIn({
      'web-app': webApp(),
      mobile: bulk(3),
    });
  });
  afterEach(async () => {
    const violations = [...ld.violations];
    await ld.stop();
    if (violations.length > 0) {
      throw new Error(
        `Requests broke LaunchDarkly's documented contract:\n${violations.join(
          '\n',
        )}`,
      );
    }
  });

  it('sends the documented requests: token as it is, API version, summary=0 and every environment', async () => {
    const provider = new LaunchDarklyFlagProvider(config());
    await listAll(provider, [target('checkout', 'web-app')], 50);

    expect(
      ld.requests.map(r => ({
        method: r.method,
        path: r.path,
        query: r.query,
      })),
    ).toEqual([
      {
        method: 'GET',
        path: '/api/v2/projects/web-app/environments',
        query: { limit: ['100'], offset: ['0'] },
      },
      {
        method: 'GET',
        path: '/api/v2/flags/web-app',
        query: {
          summary: ['0'],
          env: ['production', 'staging'],
          limit: ['50'],
          offset: ['0'],
        },
      },
      {
        method: 'GET',
        path: '/api/v2/flag-statuses/web-app/production',
        query: {},
      },
      {
        method: 'GET',
        path: '/api/v2/flag-statuses/web-app/staging',
        query: {},
      },
    ]);
    for (const r of ld.requests) {
      expect(r.headers.authorization).toBe(LD_TEST_TOKEN);
      expect(r.headers['ld-api-version']).toBe('20240415');
      expect(r.headers.accept).toBe('application/json');
      expect(r.body).toBeUndefined();
    }
  });

  it('reads each flag with its maintainer, age and, per environment, state, what everyone gets, status and last request', async () => {
    const provider = new LaunchDarklyFlagProvider(config());
    const checkout = target('checkout', 'web-app?tags=checkout');
    const payments = target('payments', 'web-app?tags=payments');
    const all = target('web', 'web-app');
    const result = await listAll(provider, [checkout, payments, all]);

    expect(flagsOf(result, checkout).map(f => f.name)).toEqual([
      'new-checkout',
      'pricing-experiment',
      'beta-access',
    ]);
    expect(flagsOf(result, payments).map(f => f.name)).toEqual([
      'payments-kill-switch',
    ]);
    const byName = new Map(flagsOf(result, all).map(f => [f.name, f]));
    expect(byName.size).toBe(5);

    expect(byName.get('new-checkout')).toEqual({
      key: 'web-app/new-checkout',
      name: 'new-checkout',
      project: 'web-app',
      temporary: true,
      createdAt: new Date(ago(200)),
      maintainer: 'ana@example.com',
      environments: [
        {
          environment: 'production',
          type: 'production',
          enabled: true,
          lastEvaluatedAt: new Date(NOW - 3_600_000),
          servesEveryone: 'true',
          servingSince: new Date(ago(100)),
          status: 'launched',
          summary: "on, serving 'true' to everyone",
        },
        {
          environment: 'staging',
          enabled: true,
          lastEvaluatedAt: new Date(ago(2)),
          servesEveryone: 'true',
          servingSince: new Date(ago(120)),
          status: 'launched',
          summary: "on, serving 'true' to everyone",
        },
      ],
      updatedAt: new Date(ago(100)),
      tags: ['checkout'],
      archived: false,
      url: `${ld.url}/projects/web-app/flags/new-checkout`,
    });

    const experiment = byName.get('pricing-experiment')!;
    expect(experiment.environments).toEqual([
      expect.objectContaining({
        environment: 'production',
        enabled: true,
        status: 'active',
        summary:
          "on, default a percentage rollout (50% 'Control', 50% 'Cheaper')",
      }),
      // No status for it in staging: LaunchDarkly gave none, so no last
      // evaluation is claimed.
      {
        environment: 'staging',
        enabled: true,
        servesEveryone: 'Cheaper',
        servingSince: new Date(ago(100)),
        summary: "on, serving 'Cheaper' to everyone",
      },
    ]);
    expect(experiment.environments[0].servesEveryone).toBeUndefined();

    expect(byName.get('old-banner')).toMatchObject({
      createdAt: new Date(ago(400)),
      maintainer: 'team-web',
      environments: [
        {
          environment: 'production',
          enabled: false,
          lastEvaluatedAt: null,
          status: 'inactive',
          servesEveryone: 'false',
          summary: "off, serving 'false'",
        },
        expect.objectContaining({ environment: 'staging', enabled: false }),
      ],
    });
    const killSwitch = byName.get('payments-kill-switch')!;
    expect(killSwitch.temporary).toBe(false);
    expect(
      killSwitch.environments.map(e => [e.servesEveryone, e.summary]),
    ).toEqual([
      [undefined, "on, 1 rule, default 'true'"],
      [undefined, "on, 1 individual target, default 'true'"],
    ]);
    // A prerequisite may serve the off variation: not one variation for all.
    expect(byName.get('beta-access')!.environments[0]).toMatchObject({
      status: 'new',
      lastEvaluatedAt: null,
    });
    expect(
      byName.get('beta-access')!.environments[0].servesEveryone,
    ).toBeUndefined();
  });

  it('pages through several projects, each flag once, reading statuses once per environment', async () => {
    ld.projects = { 'web-app': webApp(), big: bulk(230), mobile: bulk(3) };
    const provider = new LaunchDarklyFlagProvider(config());
    const big = target('big', 'big');
    const mobile = target('mobile', 'mobile');
    const web = target('web', 'web-app?tags=checkout');
    const result = await listAll(provider, [web, big, mobile], 100);

    expect(result.pages.map(p => p.nextCursor)).toEqual([
      '0:100:230',
      '0:200:230',
      '1:0:0',
      '2:0:0',
      undefined,
    ]);
    // Each page carries the targets of one project.
    expect(result.pages.map(p => p.items.map(i => i.ref))).toEqual([
      ['big'],
      ['big'],
      ['big'],
      ['mobile'],
      ['web-app?tags=checkout'],
    ]);
    const names = flagsOf(result, big).map(f => f.name);
    expect(names).toHaveLength(230);
    expect(new Set(names).size).toBe(230);
    expect(flagsOf(result, mobile)).toHaveLength(3);
    expect(flagsOf(result, web)).toHaveLength(3);

    const count = (path: string) =>
      ld.requests.filter(r => r.path === path).length;
    expect(count('/api/v2/flags/big')).toBe(3);
    expect(count('/api/v2/flag-statuses/big/production')).toBe(1);
    expect(count('/api/v2/projects/big/environments')).toBe(1);
    expect(
      ld.requests
        .filter(r => r.path === '/api/v2/flags/big')
        .map(r => r.query.offset),
    ).toEqual([['0'], ['100'], ['200']]);

    // Asked for more than 100 a page, it asks LaunchDarkly for 100.
    const first = await provider.listFlags({
      targets: [big],
      pageSize: 500,
      signal: signal(),
    });
    expect((first.items[0] as { flags: unknown[] }).flags).toHaveLength(100);
    expect(ld.requests.at(-1)!.query.limit).toEqual(['100']);
  });

  it('reads only the configured environments', async () => {
    const provider = new LaunchDarklyFlagProvider(
      config({ environments: ['production'] }),
    );
    const result = await listAll(provider, [target('web', 'web-app')]);
    const flags = flagsOf(result, target('web', 'web-app'));
    expect(
      flags.every(
        f => f.environments.map(e => e.environment).join() === 'production',
      ),
    ).toBe(true);
    const list = ld.requests.find(r => r.path === '/api/v2/flags/web-app')!;
    expect(list.query.env).toEqual(['production']);
    expect(ld.requests.some(r => r.path.endsWith('/staging'))).toBe(false);
  });

  it("reports a project LaunchDarkly does not have, or a malformed entry, as that target's error", async () => {
    const provider = new LaunchDarklyFlagProvider(config());
    const ghost = target('ghost', 'no-such-project');
    const typo = target('typo', 'web-app?tag=checkout');
    const mobile = target('mobile', 'mobile');
    const result = await listAll(provider, [ghost, typo, mobile]);
    expect(result.byTarget.get(`${ghost.entityRef} ${ghost.ref}`)).toBe(
      `LaunchDarkly at ${ld.url} has no project "no-such-project"`,
    );
    expect(result.byTarget.get(`${typo.entityRef} ${typo.ref}`)).toMatch(
      /^launchdarkly:web-app\?tag=checkout: "tag" is not a filter/,
    );
    expect(flagsOf(result, mobile)).toHaveLength(3);
  });

  it('fails a listing whose flags changed between pages', async () => {
    ld.projects = { big: bulk(150) };
    const provider = new LaunchDarklyFlagProvider(config());
    const big = target('big', 'big');
    const first = await provider.listFlags({
      targets: [big],
      pageSize: 100,
      signal: signal(),
    });
    ld.projects.big.flags.splice(3, 1);
    await expect(
      provider.listFlags({
        targets: [big],
        cursor: first.nextCursor,
        pageSize: 100,
        signal: signal(),
      }),
    ).rejects.toThrow(
      'The flags of project big in LaunchDarkly at ' +
        `${ld.url} changed while Glidepath read them page by page (150 flags, then 149)`,
    );
  });

  it('archives a flag with a semantic patch and the reason as comment; it is then listed no more', async () => {
    const provider = new LaunchDarklyFlagProvider(config());
    const web = target('web', 'web-app');
    await listAll(provider, [web]);
    const result = await provider.archiveFlag({
      target: web,
      flagKey: 'web-app/old-banner',
      reason: 'stale: off everywhere for 60 days',
      actor: CLEANUP,
      signal: signal(),
    });
    expect(result.message).toBe(
      `Archived old-banner in LaunchDarkly at ${ld.url} (project web-app); it can be restored from LaunchDarkly's archived flags`,
    );
    const patch = ld.requests.find(r => r.method === 'PATCH')!;
    expect(patch.path).toBe('/api/v2/flags/web-app/old-banner');
    expect(patch.headers['content-type']).toBe(
      'application/json; domain-model=launchdarkly.semanticpatch',
    );
    expect(patch.headers.authorization).toBe(LD_TEST_TOKEN);
    expect(patch.headers['ld-api-version']).toBe('20240415');
    expect(patch.body).toEqual({
      comment:
        'Archived by Glidepath for flag-cleanup: stale: off everywhere for 60 days',
      instructions: [{ kind: 'archiveFlag' }],
    });

    const after = await listAll(provider, [web]);
    expect(flagsOf(after, web).map(f => f.name)).not.toContain('old-banner');
    expect(flagsOf(after, web)).toHaveLength(4);
  });

  it("fails an archive LaunchDarkly refuses, with LaunchDarkly's reason", async () => {
    const web = target('web', 'web-app');
    const archive = (p: LaunchDarklyFlagProvider, flagKey: string) =>
      p.archiveFlag({
        target: web,
        flagKey,
        reason: 'stale',
        actor: CLEANUP,
        signal: signal(),
      });
    const provider = new LaunchDarklyFlagProvider(config());

    await expect(archive(provider, 'web-app/new-checkout')).rejects.toThrow(
      `LaunchDarkly at ${ld.url} refused to archive the flag new-checkout of project web-app: 400 Bad Request: Cannot archive a flag that is a prerequisite of other flags: beta-access`,
    );
    const reader = new LaunchDarklyFlagProvider(
      config({ token: LD_READER_TOKEN }),
    );
    await expect(archive(reader, 'web-app/old-banner')).rejects.toThrow(
      `LaunchDarkly at ${ld.url} refused to archive the flag old-banner of project web-app: 403 Forbidden: Access to the requested resource was denied`,
    );
    await expect(archive(provider, 'web-app/no-such-flag')).rejects.toThrow(
      `LaunchDarkly at ${ld.url} has no flag no-such-flag in project web-app`,
    );
    await expect(archive(provider, 'mobile/bulk-001')).rejects.toThrow(
      '"mobile/bulk-001" is not a flag of project web-app',
    );
    expect(ld.projects['web-app'].flags.filter(f => f.archived)).toEqual([]);
  });

  it('says the token is refused on a 401, and when to retry on a 429', async () => {
    const refused = new LaunchDarklyFlagProvider(
      config({ token: 'api-wrong' }),
    );
    const request = {
      targets: [target('web', 'web-app')],
      pageSize: 50,
      signal: signal(),
    };
    await expect(refused.listFlags(request)).rejects.toThrow(
      `LaunchDarkly at ${ld.url} refused the token (glidepath.launchdarkly.token) when asked to list the environments of project web-app: 401 Unauthorized: Invalid access token`,
    );

    const reset = NOW + 30_000;
    ld.failNext({
      status: 429,
      body: {
        code: 'rate_limited',
        message: 'You have made too many requests',
      },
      headers: { 'X-Ratelimit-Reset': String(reset) },
    });
    const provider = new LaunchDarklyFlagProvider(config());
    await expect(provider.listFlags(request)).rejects.toThrow(
      `LaunchDarkly at ${
        ld.url
      } rate-limited the request to list the environments of project web-app until ${new Date(
        reset,
      ).toISOString()}: 429 Too Many Requests: You have made too many requests`,
    );
  });

  it('names the URL when LaunchDarkly cannot be reached, and says when the URL is not its API', async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    const request = {
      targets: [target('web', 'web-app')],
      pageSize: 50,
      signal: signal(),
    };
    await expect(
      new LaunchDarklyFlagProvider(config({ baseUrl: url })).listFlags(request),
    ).rejects.toThrow(
      new RegExp(
        `^LaunchDarkly at ${url} could not be reached \\(is glidepath.launchdarkly.baseUrl right\\?\\): .*ECONNREFUSED`,
      ),
    );

    ld.failNext({ status: 200, body: '<html>sign in</html>' });
    await expect(
      new LaunchDarklyFlagProvider(config()).listFlags(request),
    ).rejects.toThrow(
      "answered the environments list with something other than LaunchDarkly's API JSON",
    );
  });
});

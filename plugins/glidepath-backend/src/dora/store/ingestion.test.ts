import {
  CHECKOUT,
  deployment,
  doraStoreDatabases,
  PAYMENTS,
  T,
} from './__testUtils__/doraStoreTesting';

jest.setTimeout(60_000);

describe('DatabaseDoraStore', () => {
  const { databases, setup } = doraStoreDatabases();

  it.each(databases.eachSupportedId())(
    'records a deployment once per id, replaces it on change, derives lead time (%p)',
    async databaseId => {
      const { store, facts } = await setup(databaseId);
      expect(
        await store.recordDeployments([
          deployment('d1', 10),
          deployment('d2', 12),
        ]),
      ).toEqual(['created', 'created']);
      expect(await store.recordDeployments([deployment('d1', 10)])).toEqual([
        'unchanged',
      ]);
      expect(
        await store.recordDeployments([
          deployment('d1', 10, { firstCommitAt: T(4) }),
        ]),
      ).toEqual(['updated']);
      expect(await facts()).toEqual({
        d1: {
          lead: 6 * 3_600_000,
          failed: false,
          rule: null,
          start: null,
          restored: null,
        },
        d2: {
          lead: 2 * 3_600_000,
          failed: false,
          rule: null,
          start: null,
          restored: null,
        },
      });
    },
  );

  it.each(databases.eachSupportedId())(
    'keeps a resolve that arrives before its create, and attributes the incident when it opens (%p)',
    async databaseId => {
      const { store, facts } = await setup(databaseId);
      await store.recordDeployments([
        deployment('d1', 10),
        deployment('d2', 20),
      ]);
      expect(
        await store.recordIncidents([{ id: 'PD-1', resolvedAt: T(14) }]),
      ).toEqual(['created']);
      expect(await store.getIncident('PD-1')).toMatchObject({
        openedAt: null,
        resolvedAt: T(14).getTime(),
        attributedTo: null,
        unattributed: 'not-opened',
      });
      expect((await facts()).d1.failed).toBe(false);

      expect(
        await store.recordIncidents([
          { id: 'PD-1', entityRef: CHECKOUT, openedAt: T(12), matched: true },
        ]),
      ).toEqual(['updated']);
      expect(await store.getIncident('PD-1')).toMatchObject({
        openedAt: T(12).getTime(),
        resolvedAt: T(14).getTime(),
        attributedTo: 'd1',
        rule: 'latest-release',
      });
      expect((await facts()).d1).toEqual({
        lead: 2 * 3_600_000,
        failed: true,
        rule: 'latest-release',
        start: T(12).getTime(),
        restored: T(14).getTime(),
      });
      // The same events again change nothing.
      expect(
        await store.recordIncidents([
          { id: 'PD-1', entityRef: CHECKOUT, openedAt: T(12), matched: true },
        ]),
      ).toEqual(['unchanged']);
    },
  );

  it.each(databases.eachSupportedId())(
    'moves an incident to a deployment that arrives late, and back on reopen keeps it open (%p)',
    async databaseId => {
      const { store, facts } = await setup(databaseId);
      await store.recordDeployments([deployment('d1', 10)]);
      await store.recordIncidents([
        { id: 'PD-2', entityRef: CHECKOUT, openedAt: T(15), matched: true },
      ]);
      expect((await facts()).d1.failed).toBe(true);
      // d2 went out at 13:00 but its event arrives after the incident.
      await store.recordDeployments([deployment('d2', 13)]);
      const after = await facts();
      expect(after.d1.failed).toBe(false);
      expect(after.d2).toMatchObject({
        failed: true,
        rule: 'latest-release',
        start: T(15).getTime(),
        restored: null,
      });
      await store.recordIncidents([{ id: 'PD-2', resolvedAt: T(16) }]);
      expect((await facts()).d2.restored).toBe(T(16).getTime());
      await store.recordIncidents([{ id: 'PD-2', resolvedAt: null }]);
      expect((await facts()).d2.restored).toBeNull();
    },
  );

  it.each(databases.eachSupportedId())(
    'follows explicit links, across entities and to deployments that arrive later (%p)',
    async databaseId => {
      const { store, facts } = await setup(databaseId);
      await store.recordDeployments([deployment('c1', 10)]);
      // Checkout's incident, caused by a payments deployment not yet received.
      await store.recordIncidents([
        {
          id: 'PD-3',
          entityRef: CHECKOUT,
          openedAt: T(12),
          deploymentId: 'p1',
          matched: true,
        },
      ]);
      expect(await store.getIncident('PD-3')).toMatchObject({
        attributedTo: null,
        unattributed: 'unknown-link',
      });
      expect((await facts()).c1.failed).toBe(false);
      await store.recordDeployments([
        deployment('p1', 11, { entityRef: PAYMENTS }),
      ]);
      expect(await store.getIncident('PD-3')).toMatchObject({
        attributedTo: 'p1',
        rule: 'linked-incident',
      });
      expect(await facts([PAYMENTS])).toEqual({
        p1: {
          lead: 2 * 3_600_000,
          failed: true,
          rule: 'linked-incident',
          start: T(12).getTime(),
          restored: null,
        },
      });
    },
  );

  it.each(databases.eachSupportedId())(
    'counts a rolled-back deployment as failed until its rollback finished, and an incident opened after that against the release serving again; ignores other environments (%p)',
    async databaseId => {
      const { store, facts } = await setup(databaseId);
      await store.recordDeployments([
        deployment('d1', 10, { outcome: 'rolled_back', finishedAt: T(11) }),
        deployment('s1', 12, {
          environment: 'staging',
          production: false,
        }),
      ]);
      await store.recordIncidents([
        { id: 'PD-3', entityRef: CHECKOUT, openedAt: T(10), matched: true },
        { id: 'PD-4', entityRef: CHECKOUT, openedAt: T(13), matched: true },
      ]);
      // PD-3 opened while d1 served: d1's, and still open. PD-4 opened once
      // d1 was rolled back: no release known to be serving then.
      expect(await facts()).toEqual({
        d1: {
          lead: null,
          failed: true,
          rule: 'rolled-back',
          start: T(10).getTime(),
          restored: null,
        },
      });
      // The release d1 was rolled back to arrives late: PD-4 is its.
      await store.recordDeployments([deployment('d0', 8)]);
      await store.recordIncidents([
        { id: 'PD-3', resolvedAt: T(11) },
        { id: 'PD-4', resolvedAt: T(19) },
      ]);
      expect(await facts()).toEqual({
        d0: {
          lead: 2 * 3_600_000,
          failed: true,
          rule: 'latest-release',
          start: T(13).getTime(),
          restored: T(19).getTime(),
        },
        d1: {
          lead: null,
          failed: true,
          rule: 'rolled-back',
          start: T(10).getTime(),
          restored: T(11).getTime(),
        },
      });
      const failures = await store.listFailures({
        from: T(0),
        to: T(24),
        limit: 10,
      });
      expect(
        failures.map(f => [f.id, f.failureRule, f.incidentIds]).sort(),
      ).toEqual([
        ['d0', 'latest-release', ['PD-4']],
        ['d1', 'rolled-back', ['PD-3']],
      ]);
    },
  );

  it.each(databases.eachSupportedId())(
    'stores text as sent, whatever characters it holds (%p)',
    async databaseId => {
      const { store } = await setup(databaseId);
      // What an array literal or a list of values would have to escape.
      const awkward = 'a "quoted", {braced} back\\slash\nNULL ünï';
      const record = deployment('d "1", {x}', 10, {
        version: awkward,
        commit: 'NULL',
        url: 'https://ci.example.com/run?a=1,2&b={3}',
        outcome: 'rolled_back',
        finishedAt: T(11),
      });
      expect(await store.recordDeployments([record])).toEqual(['created']);
      await store.recordIncidents([
        {
          id: 'PD-"8"',
          entityRef: CHECKOUT,
          openedAt: T(10),
          title: awkward,
          url: 'https://pager.example.com/i/8?x="y"',
          matched: true,
        },
      ]);
      // Stored as received: the same event again changes nothing.
      expect(await store.recordDeployments([record])).toEqual(['unchanged']);
      const [failure] = await store.listFailures({
        from: T(0),
        to: T(24),
        limit: 10,
      });
      expect(failure).toMatchObject({
        id: 'd "1", {x}',
        version: awkward,
        incidents: [
          {
            id: 'PD-"8"',
            title: awkward,
            url: 'https://pager.example.com/i/8?x="y"',
          },
        ],
      });
    },
  );

  it.each(databases.eachSupportedId())(
    'refuses an incident resolved before it opened, and stores nothing of the batch (%p)',
    async databaseId => {
      const { store } = await setup(databaseId);
      await store.recordIncidents([
        { id: 'PD-6', entityRef: CHECKOUT, openedAt: T(12), matched: true },
      ]);
      await expect(
        store.recordIncidents([
          { id: 'PD-7', entityRef: CHECKOUT, openedAt: T(12), matched: true },
          { id: 'PD-6', resolvedAt: T(11) },
        ]),
      ).rejects.toThrow(/incident PD-6: resolvedAt .* is before its openedAt/);
      expect(await store.getIncident('PD-7')).toBeUndefined();
      expect(await store.getIncident('PD-6')).toMatchObject({
        resolvedAt: null,
      });
    },
  );
});

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
    'lists facts by range and entity, and the events of unknown entities (%p)',
    async databaseId => {
      const { store } = await setup(databaseId);
      await store.recordDeployments([
        deployment('d1', 10),
        deployment('d2', 30),
        deployment('p1', 11, { entityRef: PAYMENTS }),
        deployment('x1', 12, {
          entityRef: 'component:default/ghost',
          matched: false,
        }),
      ]);
      await store.recordIncidents([
        {
          id: 'PD-5',
          entityRef: 'component:default/ghost',
          openedAt: T(13),
          matched: false,
        },
      ]);
      const ids = async (options: { entityRefs?: string[]; to: Date }) =>
        (await store.listFacts({ from: T(0), ...options }))
          .map(f => f.id)
          .sort();
      expect(await ids({ to: T(24) })).toEqual(['d1', 'p1', 'x1']);
      expect(await ids({ to: T(48), entityRefs: [CHECKOUT] })).toEqual([
        'd1',
        'd2',
      ]);
      expect(await store.countUnmatched()).toBe(2);
      expect(
        (await store.listUnmatched(10)).map(e => [e.type, e.id]).sort(),
      ).toEqual([
        ['deployment', 'x1'],
        ['incident', 'PD-5'],
      ]);
    },
  );
});

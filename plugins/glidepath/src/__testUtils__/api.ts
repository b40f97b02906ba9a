import type { GlidepathApi } from '@glidepath/backstage-plugin-common';
import { makeDetail, makeRelease, makeSummary } from './releases';

/**
 * A GlidepathApi whose methods are jest mocks, failing unless given; the
 * summary and a release's detail (the Releases tab reads both) answer with
 * fixtures by default.
 */
export function fakeGlidepathApi(
  impl: Partial<GlidepathApi> = {},
): jest.Mocked<GlidepathApi> {
  const mock = <K extends keyof GlidepathApi>(
    name: K,
    fallback?: GlidepathApi[K],
  ) =>
    jest.fn<any, any>(
      impl[name] ??
        fallback ??
        (async () => {
          throw new Error(`unexpected call to ${name}`);
        }),
    ) as jest.Mocked<GlidepathApi>[K];
  return {
    getEntityReleaseSummary: mock('getEntityReleaseSummary', async () =>
      makeSummary(),
    ),
    listEntityReleases: mock('listEntityReleases'),
    // The Releases tab reads the current release's detail for its analysis.
    listReleasesInFlight: mock('listReleasesInFlight'),
    getRelease: mock('getRelease', async (releaseId: string) =>
      makeDetail({ release: makeRelease({ id: releaseId }) }),
    ),
    createReleaseAction: mock('createReleaseAction'),
    getReleaseAction: mock('getReleaseAction'),
    getDependencyGraph: mock('getDependencyGraph'),
    createChecklist: mock('createChecklist'),
    getChecklist: mock('getChecklist'),
    setChecklistItem: mock('setChecklistItem'),
    scheduleDrill: mock('scheduleDrill'),
    getRollbackPolicy: mock('getRollbackPolicy'),
    listRollbackTests: mock('listRollbackTests'),
    runRollbackTest: mock('runRollbackTest'),
    overrideRollbackGate: mock('overrideRollbackGate'),
    // The Releases tab shows the service's last drill.
    listEntityDrills: mock('listEntityDrills', async () => ({ items: [] })),
    listGameDays: mock('listGameDays'),
    getGameDay: mock('getGameDay'),
    createGameDay: mock('createGameDay'),
    setGameDayOutcome: mock('setGameDayOutcome'),
    getDrillTeamStats: mock('getDrillTeamStats'),
    // The rollback dialog asks what the rollback would break.
    checkProposedChanges: mock('checkProposedChanges', async () => ({
      broken: [],
      unknown: [],
      releaseOrder: { layers: [], cycles: [] },
      blastRadius: [],
      missing: [],
    })),
    getDora: mock('getDora'),
    getDoraCsv: mock('getDoraCsv'),
    listDoraReports: mock('listDoraReports'),
    getDoraReport: mock('getDoraReport'),
    getReleaseMetrics: mock('getReleaseMetrics'),
    listFlags: mock('listFlags'),
    getEntityFlags: mock('getEntityFlags'),
    getFlagSummary: mock('getFlagSummary'),
    getFlagCoverage: mock('getFlagCoverage'),
    keepFlag: mock('keepFlag'),
    archiveFlag: mock('archiveFlag'),
    // The Releases tab shows the freeze state of each environment.
    getEntityCalendar: mock('getEntityCalendar', async () => ({
      entityRef: 'component:default/checkout-service',
      environments: [],
      trains: [],
    })),
    listFreezeWindows: mock('listFreezeWindows'),
    listReleaseTrains: mock('listReleaseTrains'),
    createFreezeWindow: mock('createFreezeWindow'),
    deleteFreezeWindow: mock('deleteFreezeWindow'),
    markReleaseAsFix: mock('markReleaseAsFix'),
    overrideFreeze: mock('overrideFreeze'),
    getCalendarFeedLink: mock('getCalendarFeedLink'),
    listPlans: mock('listPlans', async () => ({ items: [] })),
    getPlan: mock('getPlan'),
    createPlan: mock('createPlan'),
    controlPlan: mock('controlPlan'),
    getEntityPlans: mock('getEntityPlans', async () => ({ items: [] })),
  };
}

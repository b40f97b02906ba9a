import {
  catalogEntityDeletePermission,
  catalogEntityReadPermission,
  catalogEntityRefreshPermission,
  catalogLocationCreatePermission,
} from '@backstage/plugin-catalog-common/alpha';
import {
  AuthorizeResult,
  createPermission,
  Permission,
} from '@backstage/plugin-permission-common';
import { PolicyQueryUser } from '@backstage/plugin-permission-node';
import {
  glidepathCalendarManagePermission,
  glidepathDrillProductionPermission,
  glidepathFreezeOverridePermission,
  glidepathReleaseControlPermission,
  glidepathReleaseRollbackPermission,
} from '@glidepath/backstage-plugin-common';
import {
  isEntityChange,
  normalizeGroupRefs,
  OwnershipPermissionPolicy,
} from './OwnershipPermissionPolicy';

function userOf(ref: string, groups: string[]): PolicyQueryUser {
  return {
    credentials: {
      $$type: '@backstage/BackstageCredentials',
      principal: { type: 'user', userEntityRef: ref },
    },
    info: { userEntityRef: ref, ownershipEntityRefs: [ref, ...groups] },
  } as PolicyQueryUser;
}

const owner = userOf('user:default/priya.nair', [
  'group:default/team-checkout',
]);
const otherTeam = userOf('user:default/jonas.weber', [
  'group:default/team-payments',
]);
const admin = userOf('user:default/elena.petrova', [
  'group:default/team-platform',
  'group:default/release-admins',
]);
const guest = userOf('user:default/guest', ['group:default/team-checkout']);

const releaseManager = userOf('user:default/sam.okafor', [
  'group:default/team-checkout',
  'group:default/release-managers',
]);

const policy = new OwnershipPermissionPolicy({
  adminGroupRefs: ['release-admins'],
  releaseManagerGroupRefs: ['release-managers'],
});

describe('OwnershipPermissionPolicy', () => {
  it.each<[string, Permission, PolicyQueryUser | undefined, string]>([
    // reads and non-entity permissions: everyone signed in
    ['owner reads', catalogEntityReadPermission, owner, 'ALLOW'],
    ['other team reads', catalogEntityReadPermission, otherTeam, 'ALLOW'],
    ['guest reads', catalogEntityReadPermission, guest, 'ALLOW'],
    ['guest registers', catalogLocationCreatePermission, guest, 'ALLOW'],
    // entity changes: ownership, decided by the catalog
    ['owner refreshes', catalogEntityRefreshPermission, owner, 'CONDITIONAL'],
    [
      'other team deletes',
      catalogEntityDeletePermission,
      otherTeam,
      'CONDITIONAL',
    ],
    [
      'guest rolls back',
      glidepathReleaseRollbackPermission,
      guest,
      'CONDITIONAL',
    ],
    [
      'guest pauses a rollout',
      glidepathReleaseControlPermission,
      guest,
      'CONDITIONAL',
    ],
    // admins: everything
    ['admin deletes', catalogEntityDeletePermission, admin, 'ALLOW'],
    ['admin rolls back', glidepathReleaseRollbackPermission, admin, 'ALLOW'],
    ['admin promotes', glidepathReleaseControlPermission, admin, 'ALLOW'],
    // drills in production: admins only
    [
      'admin drills in production',
      glidepathDrillProductionPermission,
      admin,
      'ALLOW',
    ],
    [
      'owner drills in production',
      glidepathDrillProductionPermission,
      owner,
      'DENY',
    ],
    // no user: no change
    [
      'admin breaks a freeze',
      glidepathFreezeOverridePermission,
      admin,
      'ALLOW',
    ],
    ['owner breaks a freeze', glidepathFreezeOverridePermission, owner, 'DENY'],
    [
      'release manager breaks a freeze',
      glidepathFreezeOverridePermission,
      releaseManager,
      'ALLOW',
    ],
    [
      'release manager manages the calendar',
      glidepathCalendarManagePermission,
      releaseManager,
      'DENY',
    ],
    [
      'release manager drills in production',
      glidepathDrillProductionPermission,
      releaseManager,
      'DENY',
    ],
    [
      'release manager rolls back as an owner',
      glidepathReleaseRollbackPermission,
      releaseManager,
      'CONDITIONAL',
    ],
    [
      'no user rolls back',
      glidepathReleaseRollbackPermission,
      undefined,
      'DENY',
    ],
  ])('%s', async (_name, permission, user, expected) => {
    const decision = await policy.handle({ permission }, user);
    expect(decision.result).toBe(AuthorizeResult[expected as 'ALLOW']);
  });

  it('asks the catalog whether the user or one of their groups owns the entity', async () => {
    const decision = await policy.handle(
      { permission: glidepathReleaseRollbackPermission },
      guest,
    );
    expect(decision).toEqual({
      result: AuthorizeResult.CONDITIONAL,
      pluginId: 'catalog',
      resourceType: 'catalog-entity',
      conditions: {
        rule: 'IS_ENTITY_OWNER',
        resourceType: 'catalog-entity',
        params: {
          claims: ['user:default/guest', 'group:default/team-checkout'],
        },
      },
    });
  });

  it('denies an entity change to a user who owns nothing', async () => {
    const nobody = {
      ...guest,
      info: { userEntityRef: 'user:default/x', ownershipEntityRefs: [] },
    };
    const decision = await policy.handle(
      { permission: catalogEntityDeletePermission },
      nobody,
    );
    expect(decision.result).toBe(AuthorizeResult.DENY);
  });
});

describe('isEntityChange', () => {
  const cases: Array<[Permission, boolean]> = [
    [catalogEntityDeletePermission, true],
    [catalogEntityRefreshPermission, true],
    [glidepathReleaseRollbackPermission, true],
    [glidepathReleaseControlPermission, true],
    [catalogEntityReadPermission, false],
    [catalogLocationCreatePermission, false],
    [
      createPermission({ name: 'x.update', attributes: { action: 'update' } }),
      false,
    ],
  ];
  it.each(cases.map(([p, changes]) => [p.name, p, changes] as const))(
    '%s changes an entity: %s',
    (_name, permission, expected) => {
      expect(isEntityChange(permission)).toBe(expected);
    },
  );
});

describe('normalizeGroupRefs', () => {
  it.each([
    ['release-admins', 'group:default/release-admins'],
    ['group:release-admins', 'group:default/release-admins'],
    ['group:ops/release-admins', 'group:ops/release-admins'],
    ['Group:default/Release-Admins', 'group:default/release-admins'],
  ])('%s -> %s', (input, expected) => {
    expect(normalizeGroupRefs([input])).toEqual([expected]);
  });
});

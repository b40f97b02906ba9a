import {
  checkDeploymentEvents,
  MAX_EVENTS_PER_REQUEST,
  parseDeploymentEvents,
  parseIncidentEvents,
} from './events';

const NOW = Date.parse('2026-11-28T12:00:00Z');

const deployment = {
  id: 'gha-run-1234',
  entityRef: 'Payments-Service',
  environment: 'production',
  version: '2.4.0',
  deployedAt: '2026-11-28T10:00:00Z',
};

describe('parseDeploymentEvents', () => {
  it('normalises one event: entity ref, defaults, dates', () => {
    expect(
      parseDeploymentEvents(
        {
          ...deployment,
          firstCommitAt: '2026-11-27T10:00:00+02:00',
          commit: 'ABCDEF1',
          outcome: 'rolled_back',
          finishedAt: '2026-11-28T10:05:00Z',
        },
        NOW,
      ),
    ).toEqual([
      {
        id: 'gha-run-1234',
        entityRef: 'component:default/payments-service',
        environment: 'production',
        version: '2.4.0',
        deployedAt: new Date('2026-11-28T10:00:00Z'),
        firstCommitAt: new Date('2026-11-27T08:00:00Z'),
        commit: 'abcdef1',
        outcome: 'rolled_back',
        finishedAt: new Date('2026-11-28T10:05:00Z'),
        url: null,
      },
    ]);
  });

  it('takes a first commit after the deployment (clock skew) with a warning naming the field', () => {
    const { events, warnings } = checkDeploymentEvents(
      {
        events: [
          { ...deployment, id: 'a', firstCommitAt: '2026-11-28T09:00:00Z' },
          { ...deployment, id: 'b', firstCommitAt: '2026-11-28T11:00:00Z' },
        ],
      },
      NOW,
    );
    expect(events.map(e => [e.id, e.firstCommitAt])).toEqual([
      ['a', new Date('2026-11-28T09:00:00Z')],
      // Stored as sent; the lead time is what is left out.
      ['b', new Date('2026-11-28T11:00:00Z')],
    ]);
    expect(warnings).toEqual([
      [],
      [
        {
          field: 'firstCommitAt',
          message:
            '2026-11-28T11:00:00.000Z is after deployedAt 2026-11-28T10:00:00.000Z (clock skew?): stored, with no lead time',
        },
      ],
    ]);
  });

  it.each([
    ['canary', 'canary'],
    ['blue_green', 'blue_green'],
    ['rolling', 'rolling'],
    ['recreate', 'recreate'],
    [undefined, undefined],
  ])('takes the strategy %p, or none when left out', (strategy, expected) => {
    const [event] = parseDeploymentEvents({ ...deployment, strategy }, NOW);
    expect(event.strategy).toBe(expected);
  });

  it.each([
    [
      'blue-green',
      'strategy: "blue-green" must be one of canary, blue_green, rolling, recreate (or left out when unknown)',
    ],
    [7, 'strategy: must be a string, got number'],
    ['  ', 'strategy: must not be blank'],
  ])('refuses the strategy %p naming it', (strategy, message) => {
    expect(() =>
      parseDeploymentEvents({ ...deployment, strategy }, NOW),
    ).toThrow(message);
  });

  it('takes a batch and keeps its order', () => {
    const events = parseDeploymentEvents(
      {
        events: [
          { ...deployment, id: 'a' },
          { ...deployment, id: 'b', entityRef: 'resource:ops/orders-db' },
        ],
      },
      NOW,
    );
    expect(events.map(e => [e.id, e.entityRef, e.outcome])).toEqual([
      ['a', 'component:default/payments-service', 'succeeded'],
      ['b', 'resource:ops/orders-db', 'succeeded'],
    ]);
  });

  it.each<[string, unknown, string]>([
    ['not an object', 'hello', 'The body must be one event object'],
    ['an array body', [deployment], 'The body must be one event object'],
    ['events not an array', { events: {} }, 'events: must be an array'],
    ['an empty batch', { events: [] }, 'events: must not be empty'],
    [
      'a batch too large',
      { events: Array(MAX_EVENTS_PER_REQUEST + 1).fill(deployment) },
      `events: at most ${MAX_EVENTS_PER_REQUEST} events per request, got 1001`,
    ],
    ['no id', { ...deployment, id: undefined }, 'id: is required'],
    ['an id with a space', { ...deployment, id: 'a b' }, 'id: "a b" must be'],
    ['a numeric id', { ...deployment, id: 7 }, 'id: must be a string'],
    [
      'no entity',
      { ...deployment, entityRef: '' },
      'entityRef: must not be blank',
    ],
    [
      'a bad entity ref',
      { ...deployment, entityRef: 'component:' },
      'entityRef: "component:" is not an entity reference',
    ],
    [
      'an entity ref with spaces and punctuation',
      { ...deployment, entityRef: 'not a ref!' },
      'entityRef: "not a ref!" is not an entity reference (kind, namespace and name must be',
    ],
    [
      'a malformed entity ref in a batch, named with its index',
      {
        events: [
          deployment,
          { ...deployment, id: 'b', entityRef: 'component:default/a/b' },
        ],
      },
      'events[1].entityRef: "component:default/a/b" is not an entity reference',
    ],
    [
      'no environment',
      { ...deployment, environment: undefined },
      'environment: is required',
    ],
    [
      'no version',
      { ...deployment, version: undefined },
      'version: is required',
    ],
    [
      'a version with spaces',
      { ...deployment, version: '2.4 final' },
      'version: "2.4 final" is not a version',
    ],
    [
      'a date without a time zone',
      { ...deployment, deployedAt: '2026-11-28T10:00:00' },
      'deployedAt: "2026-11-28T10:00:00" is not an RFC 3339 date-time',
    ],
    [
      'a date that does not exist',
      { ...deployment, deployedAt: '2026-02-30T10:00:00Z' },
      'deployedAt: "2026-02-30T10:00:00Z" is not a valid date-time',
    ],
    [
      'a date in the future',
      { ...deployment, deployedAt: '2026-11-29T10:00:00Z' },
      'deployedAt: 2026-11-29T10:00:00Z is in the future',
    ],
    [
      'an end before the deployment',
      { ...deployment, finishedAt: '2026-11-28T09:00:00Z' },
      'finishedAt: must not be before deployedAt',
    ],
    [
      'an unknown outcome',
      { ...deployment, outcome: 'exploded' },
      'outcome: "exploded" must be one of succeeded, failed, rolled_back, aborted',
    ],
    [
      'a bad commit',
      { ...deployment, commit: 'xyz' },
      'commit: "xyz" is not a commit hash',
    ],
    [
      'a bad url',
      { ...deployment, url: 'ftp://x' },
      'url: "ftp://x" must be an http(s) URL',
    ],
    [
      'an unknown field',
      { ...deployment, team: 'x' },
      'team: is not a known field',
    ],
    [
      'a bad field in a batch, named with its index',
      { events: [deployment, { ...deployment, id: 'b', version: '' }] },
      'events[1].version: must not be blank',
    ],
    [
      'the same id twice in a batch',
      { events: [deployment, deployment] },
      'events[1].id: "gha-run-1234" appears twice in this request',
    ],
  ])('refuses %s', (_, body, message) => {
    expect(() => parseDeploymentEvents(body, NOW)).toThrow(message);
  });

  it('names every bad field at once', () => {
    expect(() =>
      parseDeploymentEvents({ id: 'x', entityRef: 'a', version: 'v 1' }, NOW),
    ).toThrow(/environment: is required; version: .*; deployedAt: is required/);
  });
});

describe('parseIncidentEvents', () => {
  it.each<[string, unknown, object]>([
    [
      'a create',
      {
        id: 'PD-1',
        entityRef: 'checkout-service',
        openedAt: '2026-11-28T10:00:00Z',
        title: 'Checkout errors',
        deploymentId: 'gha-run-1234',
      },
      {
        id: 'PD-1',
        entityRef: 'component:default/checkout-service',
        openedAt: new Date('2026-11-28T10:00:00Z'),
        title: 'Checkout errors',
        deploymentId: 'gha-run-1234',
      },
    ],
    [
      'a resolve alone (before its create)',
      { id: 'PD-1', resolvedAt: '2026-11-28T11:00:00Z' },
      { id: 'PD-1', resolvedAt: new Date('2026-11-28T11:00:00Z') },
    ],
    [
      'a reopen',
      { id: 'PD-1', resolvedAt: null },
      { id: 'PD-1', resolvedAt: null },
    ],
  ])('accepts %s', (_, body, expected) => {
    expect(parseIncidentEvents(body, NOW)).toEqual([expected]);
  });

  it.each<[string, unknown, string]>([
    ['no id', { resolvedAt: '2026-11-28T11:00:00Z' }, 'id: is required'],
    [
      'neither open nor resolve',
      { id: 'PD-1', title: 'x' },
      'an incident event opens (entityRef and openedAt), resolves (resolvedAt) or both',
    ],
    [
      'an open without entity',
      { id: 'PD-1', openedAt: '2026-11-28T10:00:00Z' },
      'entityRef: is required when openedAt is given',
    ],
    [
      'an entity without open',
      {
        id: 'PD-1',
        entityRef: 'checkout-service',
        resolvedAt: '2026-11-28T10:00:00Z',
      },
      'openedAt: is required when entityRef is given',
    ],
    [
      'a resolve before the open',
      {
        id: 'PD-1',
        entityRef: 'checkout-service',
        openedAt: '2026-11-28T10:00:00Z',
        resolvedAt: '2026-11-28T09:00:00Z',
      },
      'resolvedAt: must not be before openedAt',
    ],
    [
      'a malformed entity ref',
      {
        id: 'PD-1',
        entityRef: 'not a ref!',
        openedAt: '2026-11-28T10:00:00Z',
      },
      'entityRef: "not a ref!" is not an entity reference',
    ],
    [
      'a malformed time',
      { id: 'PD-1', resolvedAt: 'yesterday' },
      'resolvedAt: "yesterday" is not an RFC 3339 date-time',
    ],
    [
      'a malformed version link',
      {
        id: 'PD-1',
        entityRef: 'checkout-service',
        openedAt: '2026-11-28T10:00:00Z',
        version: 'v 2',
      },
      'version: "v 2" is not a version',
    ],
  ])('refuses %s', (_, body, message) => {
    expect(() => parseIncidentEvents(body, NOW)).toThrow(message);
  });
});

import {
  atChecklistGate,
  checklistGate,
  checklistRefusal,
  mergeChecklistItems,
  STANDARD_RELEASE_CHECKLIST,
} from './checklist';
import type { ActionType, ReleasePhase, ReleaseStep } from './types';

const step = (kind: ReleaseStep['kind'], index: number): ReleaseStep => ({
  index,
  kind,
  weight: kind === 'set_weight' ? 25 * (index + 1) : null,
  durationSeconds: null,
  description: kind,
  status: 'pending',
});

/** setWeight 25, pause, setWeight 50, pause, setWeight 100 */
const fiveSteps = [
  step('set_weight', 0),
  step('pause', 1),
  step('set_weight', 2),
  step('pause', 3),
  step('set_weight', 4),
];

describe('checklistGate', () => {
  it.each([
    ['no items', [], false, []],
    [
      'only optional items open',
      [{ title: 'Flags', required: false, checked: false }],
      false,
      [],
    ],
    [
      'every required item checked',
      [
        { title: 'Rollback plan', required: true, checked: true },
        { title: 'Flags', required: false, checked: false },
      ],
      false,
      [],
    ],
    [
      'two required items open',
      [
        { title: 'Rollback plan', required: true, checked: false },
        { title: 'On-call', required: true, checked: false },
        { title: 'Summary', required: true, checked: true },
      ],
      true,
      ['Rollback plan', 'On-call'],
    ],
  ])('%s', (_, items, blocking, openRequired) => {
    const gate = checklistGate(items);
    expect(gate.blocking).toBe(blocking);
    expect(gate.openRequired).toEqual(openRequired);
    expect(gate.reason === null).toBe(!blocking);
  });

  it('names the open items in its reason', () => {
    expect(
      checklistGate([
        { title: 'On-call aware', required: true, checked: false },
      ]).reason,
    ).toBe(
      'The release checklist holds the release before its final step: 1 required item is open (On-call aware)',
    );
  });
});

describe('atChecklistGate', () => {
  it.each<[ReleasePhase, ReleaseStep[], number | null, boolean]>([
    ['progressing', fiveSteps, 0, false],
    ['progressing', fiveSteps, 2, false],
    ['paused', fiveSteps, 3, true],
    ['progressing', fiveSteps, 4, true],
    ['progressing', [], null, true],
    ['progressing', [step('set_weight', 0)], 0, true],
    ['pending', fiveSteps, null, false],
    ['succeeded', fiveSteps, 4, false],
    ['rolled_back', fiveSteps, 3, false],
  ])(
    'a %s release (step index %#)',
    (phase, steps, currentStepIndex, expected) => {
      expect(atChecklistGate({ phase, steps, currentStepIndex })).toBe(
        expected,
      );
    },
  );
});

describe('checklistRefusal', () => {
  const blocking = checklistGate([
    { title: 'On-call aware', required: true, checked: false },
  ]);
  const open = checklistGate([
    { title: 'On-call aware', required: true, checked: true },
  ]);
  const atGate = {
    phase: 'paused' as const,
    steps: fiveSteps,
    currentStepIndex: 3,
  };
  const early = { ...atGate, currentStepIndex: 1 };
  it.each<[string, typeof atGate, ActionType, boolean, boolean]>([
    ['promote at the gate, items open', atGate, 'promote', true, true],
    ['resume at the gate, items open', atGate, 'resume', true, true],
    ['promote at the gate, items done', atGate, 'promote', false, false],
    ['promote before the gate', early, 'promote', true, false],
    ['rollback at the gate', atGate, 'rollback', true, false],
    ['abort at the gate', atGate, 'abort', true, false],
    ['pause at the gate', atGate, 'pause', true, false],
  ])('%s', (_, release, action, itemsOpen, refused) => {
    const refusal = checklistRefusal(
      release,
      action,
      itemsOpen ? blocking : open,
    );
    expect(refusal).toBe(refused ? blocking.reason : undefined);
  });

  it('does not refuse without a checklist', () => {
    expect(checklistRefusal(atGate, 'promote', undefined)).toBeUndefined();
  });
});

describe('mergeChecklistItems', () => {
  it('starts from the standard items and appends the team’s', () => {
    const items = mergeChecklistItems(true, [
      { title: 'Database migration applied', required: true },
    ]);
    expect(items.map(i => i.title)).toEqual([
      ...STANDARD_RELEASE_CHECKLIST.map(i => i.title),
      'Database migration applied',
    ]);
  });

  it('lets a team item replace a standard one in place', () => {
    const items = mergeChecklistItems(true, [
      {
        title: 'feature flags set',
        required: true,
        owner: 'group:default/payments',
      },
    ]);
    expect(items).toHaveLength(STANDARD_RELEASE_CHECKLIST.length);
    expect(items[4]).toEqual(
      expect.objectContaining({
        title: 'feature flags set',
        required: true,
        owner: 'group:default/payments',
        description: STANDARD_RELEASE_CHECKLIST[4].description,
      }),
    );
  });

  it('uses only the team’s items without the standard list', () => {
    expect(
      mergeChecklistItems(false, [{ title: 'Smoke test' }]).map(i => i.title),
    ).toEqual(['Smoke test']);
  });

  it.each([
    [
      [{ title: 'A' }, { title: ' a ' }],
      'The checklist has the item "a" twice',
    ],
    [[{ title: '  ' }], 'A checklist item needs a title'],
  ])('refuses %j', (items, message) => {
    expect(() => mergeChecklistItems(false, items)).toThrow(message);
  });
});

import type { ActionType } from '@glidepath/backstage-plugin-common';
import {
  actionConsequence,
  confirmationTitle,
  describeRequestError,
  orderActions,
  permissionRefusal,
} from './actions';
import { makeRelease } from '../__testUtils__/releases';
import { responseError } from '../__testUtils__/render';

describe('orderActions', () => {
  it('puts the admitted actions in button order, rollback last', () => {
    expect(orderActions(['rollback', 'retry', 'abort'])).toEqual([
      'abort',
      'retry',
      'rollback',
    ]);
    expect(orderActions(['pause', 'promote', 'rollback', 'abort'])).toEqual([
      'promote',
      'pause',
      'abort',
      'rollback',
    ]);
    expect(orderActions([])).toEqual([]);
  });
});

describe('confirmationTitle', () => {
  it.each<[ActionType, string]>([
    ['rollback', 'Roll back checkout-service?'],
    ['promote', 'Promote checkout-service 1.5.0?'],
    ['abort', 'Abort the rollout of checkout-service 1.5.0?'],
    ['retry', 'Retry the rollout of checkout-service 1.5.0?'],
  ])('%s', (action, title) => {
    expect(confirmationTitle(action, 'checkout-service', makeRelease())).toBe(
      title,
    );
  });
});

describe('actionConsequence', () => {
  const paused = makeRelease(); // paused at step 3 of 5, 25% on 1.5.0
  const lastStep = makeRelease({
    currentStepIndex: 4,
    steps: makeRelease().steps.map(step => ({
      ...step,
      status: step.index === 4 ? 'running' : 'completed',
    })),
  });
  const firstRelease = makeRelease({ previousVersion: null });

  it.each<[string, ActionType, ReturnType<typeof makeRelease>, string]>([
    [
      'rollback',
      'rollback',
      paused,
      'All traffic returns to 1.4.2 and 1.5.0 is taken out of service. The release becomes rolled back.',
    ],
    [
      'abort',
      'abort',
      paused,
      'All traffic returns to 1.4.2 and 1.5.0 stops receiving traffic. The release becomes aborted; it can be retried later.',
    ],
    [
      'abort without a previous version',
      'abort',
      firstRelease,
      'All traffic returns to the stable version and 1.5.0 stops receiving traffic. The release becomes aborted; it can be retried later.',
    ],
    [
      'promote names the next step',
      'promote',
      paused,
      'The rollout moves on to its next step: Send 50% of traffic to 1.5.0.',
    ],
    [
      'promote on the last step completes the release',
      'promote',
      lastStep,
      'The rollout completes: all traffic goes to 1.5.0 and the release becomes succeeded.',
    ],
    [
      'pause',
      'pause',
      paused,
      'The rollout stops at "Wait for a promotion" with 25% of traffic on 1.5.0, until someone resumes or promotes it.',
    ],
    [
      'resume',
      'resume',
      paused,
      'The rollout of 1.5.0 continues from "Wait for a promotion" and follows its remaining steps.',
    ],
    [
      'retry',
      'retry',
      paused,
      'The rollout of 1.5.0 starts again from its first step: Send 10% of traffic to 1.5.0.',
    ],
  ])('%s', (_name, action, release, sentence) => {
    expect(actionConsequence(action, release)).toBe(sentence);
  });
});

describe('permissionRefusal', () => {
  it('names the actions, the entity and who may', () => {
    expect(permissionRefusal(['rollback'], 'service')).toEqual({
      before: 'You cannot roll back this service: only its owners',
      after: 'and release admins can',
    });
    expect(
      permissionRefusal(['promote', 'pause', 'abort'], 'website').before,
    ).toBe('You cannot promote, pause or abort this website: only its owners');
  });
});

describe('describeRequestError', () => {
  const RETRY =
    'Confirm again to retry; the same request is sent again, so the action is taken at most once.';
  it.each<[number, string, string]>([
    [403, 'Forbidden', 'Not allowed: only owners may'],
    [409, 'Conflict', 'Conflict: only owners may'],
    [422, 'Unprocessable Entity', '422 Unprocessable Entity: only owners may'],
    [
      503,
      'Service Unavailable',
      `Glidepath failed (503): only owners may. ${RETRY}`,
    ],
  ])(
    'says what the server answered with %d',
    async (status, text, sentence) => {
      const error = await responseError(
        status,
        text,
        'Error',
        'only owners may',
      );
      expect(describeRequestError(error)).toBe(sentence);
    },
  );

  it('says Glidepath could not be reached when there was no answer', () => {
    expect(describeRequestError(new TypeError('Failed to fetch'))).toBe(
      `Could not reach Glidepath (Failed to fetch). ${RETRY}`,
    );
  });
});

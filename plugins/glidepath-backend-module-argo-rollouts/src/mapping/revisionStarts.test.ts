import { editedFixture } from '../__testUtils__/fixtures';
import { readRollout } from '../resources/rollout';
import { RevisionStarts } from './revisionStarts';

/** canary-demo at a revision, with a `Completed` condition when given. */
function at(
  revision: number,
  completed?: { status: string; time: string },
  uid = 'b350ba76-f6ed-11e9-a15b-42010aa80033',
) {
  return readRollout(
    editedFixture('canary/canary-rollout.yaml', o => {
      o.metadata.uid = uid;
      o.metadata.annotations['rollout.argoproj.io/revision'] = String(revision);
      if (completed) {
        o.status.conditions.push({
          type: 'Completed',
          status: completed.status,
          reason: 'RolloutCompleted',
          message: 'RolloutCompleted',
          lastTransitionTime: completed.time,
          lastUpdateTime: completed.time,
        });
      }
    }),
  );
}

const T = (time: string) => Date.parse(`2019-10-28T${time}Z`);

describe('RevisionStarts', () => {
  it.each([
    [
      'Completed turned False between the reads: its transition',
      at(32, { status: 'False', time: '2019-10-28T06:00:00Z' }),
      new Date('2019-10-28T06:00:00Z'),
    ],
    [
      'an older controller without Completed: the read that saw it',
      at(32),
      new Date(T('06:00:10')),
    ],
    [
      'a Completed transition from before the earlier read (a stale one): the read',
      at(32, { status: 'False', time: '2019-10-28T05:00:00Z' }),
      new Date(T('06:00:10')),
    ],
    [
      'Completed already True (the update was over when read): the read',
      at(32, { status: 'True', time: '2019-10-28T06:00:05Z' }),
      new Date(T('06:00:10')),
    ],
  ])('a newer revision seen: %s', (_, next, expected) => {
    const starts = new RevisionStarts();
    starts.observe([at(31)], T('05:59:50'));
    expect(starts.observe([next], T('06:00:10'))(next)).toEqual(expected);
  });

  it('keeps the start read after read, and knows none for a revision current at the first read', () => {
    const starts = new RevisionStarts();
    const first = at(31);
    expect(starts.observe([first], T('05:00:00'))(first)).toBeNull();
    expect(starts.observe([first], T('05:00:10'))(first)).toBeNull();
    starts.observe([at(32)], T('06:00:10'));
    const later = at(32, { status: 'True', time: '2019-10-28T06:10:00Z' });
    expect(starts.observe([later], T('06:10:10'))(later)).toEqual(
      new Date(T('06:00:10')),
    );
  });

  it('counts a Rollout created again under the same name anew', () => {
    const starts = new RevisionStarts();
    starts.observe([at(31)], T('05:00:00'));
    const recreated = at(32, undefined, 'another-uid');
    expect(starts.observe([recreated], T('05:00:10'))(recreated)).toBeNull();
  });
});

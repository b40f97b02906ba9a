import type {
  Analysis,
  ReleasePhase,
} from '@glidepath/backstage-plugin-common';
import { analysisGate } from './gates';

type Judgement = Pick<Analysis, 'verdict' | 'reason'>;

const pass: Judgement = { verdict: 'pass', reason: 'within the policy' };
const fail: Judgement = { verdict: 'fail', reason: 'error rate +3 pp' };
const warm: Judgement = { verdict: 'inconclusive', reason: 'warming up' };
const noData: Judgement = { verdict: 'no_data', reason: 'no metrics' };
const unsure: Judgement = {
  verdict: 'inconclusive',
  reason: 'not enough evidence',
};

/** A string matching `pattern`, or nothing without one. */
function matching(pattern: RegExp | undefined) {
  return pattern && expect.stringMatching(pattern);
}

describe('analysisGate', () => {
  it.each<
    [string, Judgement[], ReleasePhase, RegExp | undefined, RegExp | undefined]
  >([
    ['no judgement at all', [], 'succeeded', undefined, undefined],
    ['a pass', [warm, pass], 'succeeded', undefined, undefined],
    ['a pass while running', [warm, pass], 'progressing', undefined, undefined],
    [
      'a fail, even after a pass',
      [pass, fail],
      'succeeded',
      /analysis failed \(error rate \+3 pp\)/,
      undefined,
    ],
    [
      'a fail before a pass',
      [fail, pass],
      'rolled_back',
      /analysis failed/,
      undefined,
    ],
    [
      'undecided while running',
      [warm, noData, unsure],
      'progressing',
      /to pass \(latest: inconclusive: not enough evidence\)/,
      undefined,
    ],
    ['undecided while paused', [unsure], 'paused', /to pass/, undefined],
    [
      'undecided, then completed',
      [warm, unsure],
      'succeeded',
      undefined,
      /completed before the analysis had enough evidence .*latest: inconclusive/,
    ],
    [
      'no data, then completed',
      [noData],
      'succeeded',
      undefined,
      /latest: no_data/,
    ],
  ])('%s', (_name, analyses, phase, waiting, note) => {
    expect(analysisGate(analyses, phase)).toEqual({
      waitingFor: matching(waiting),
      note: matching(note),
    });
  });
});

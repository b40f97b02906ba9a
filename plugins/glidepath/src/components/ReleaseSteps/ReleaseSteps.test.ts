import type {
  ReleasePhase,
  StepStatus,
} from '@glidepath/backstage-plugin-common';
import { stepStatusLabel } from './ReleaseSteps';

describe('stepStatusLabel', () => {
  it.each<[StepStatus, ReleasePhase | undefined, string]>([
    ['running', 'progressing', 'Running'],
    ['running', 'paused', 'Paused'],
    ['running', undefined, 'Running'],
    ['pending', 'paused', 'Pending'],
    ['completed', 'paused', 'Completed'],
    ['skipped', 'rolled_back', 'Skipped'],
  ])('a %s step of a %s release reads %s', (status, phase, label) => {
    expect(stepStatusLabel({ status }, phase)).toBe(label);
  });
});

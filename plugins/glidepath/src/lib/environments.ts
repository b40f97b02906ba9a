import {
  EnvironmentRelease,
  isTerminalPhase,
  phaseLabel,
  Release,
} from '@glidepath/backstage-plugin-common';

/** Where the new version's traffic stands, as people say it. */
function progress(release: Release): string {
  const weight = release.canaryWeight;
  switch (release.strategy) {
    case 'canary':
      return `canary at ${weight}%`;
    case 'blue_green':
      return weight > 0 ? `switched to ${weight}%` : 'preview, no traffic yet';
    default:
      return `${weight}% rolled out`;
  }
}

/**
 * What runs in one environment, in a few words: "runs 2.4.0",
 * "2.3.1 → 2.4.0, canary at 25%", "runs 2.3.1 (2.4.0 rolled back)".
 */
export function environmentState(environment: EnvironmentRelease): string {
  const release = environment.current;
  if (!release) return 'no release yet';
  if (release.phase === 'succeeded') return `runs ${release.version}`;
  if (isTerminalPhase(release.phase)) {
    const ran = release.previousVersion
      ? `runs ${release.previousVersion}`
      : 'runs nothing';
    return `${ran} (${release.version} ${phaseLabel(release.phase)})`;
  }
  const change = release.previousVersion
    ? `${release.previousVersion} → ${release.version}`
    : release.version;
  const paused = release.phase === 'paused' ? ', paused' : '';
  const pending = release.phase === 'pending' ? ', pending' : '';
  return `${change}, ${progress(release)}${paused}${pending}`;
}

/**
 * Every environment in a sentence, in promotion order: "staging runs 2.4.0;
 * production 2.3.1 → 2.4.0, canary at 25%".
 */
export function environmentsSentence(
  environments: readonly EnvironmentRelease[],
): string {
  return environments
    .map(environment => `${environment.name} ${environmentState(environment)}`)
    .join('; ');
}

import Box from '@material-ui/core/Box';
import LinearProgress from '@material-ui/core/LinearProgress';
import Typography from '@material-ui/core/Typography';
import type { Release } from '@glidepath/backstage-plugin-common';

const NAMES: Record<Release['strategy'], [string, string]> = {
  canary: ['canary', 'stable'],
  blue_green: ['preview', 'active'],
  rolling: ['new', 'previous'],
};

/** "canary 25% · stable 75%" (or preview/active for blue-green). */
export function trafficSplitLabel(
  release: Pick<Release, 'strategy' | 'canaryWeight'>,
): string {
  const [next, current] = NAMES[release.strategy] ?? NAMES.canary;
  const weight = Math.round(Math.min(100, Math.max(0, release.canaryWeight)));
  return `${next} ${weight}% · ${current} ${100 - weight}%`;
}

/** The live traffic split of a release as a bar. */
export function TrafficSplit(props: {
  release: Pick<Release, 'strategy' | 'canaryWeight' | 'version'>;
}) {
  const { release } = props;
  const weight = Math.min(100, Math.max(0, release.canaryWeight));
  const label = trafficSplitLabel(release);
  return (
    <Box>
      <LinearProgress
        variant="determinate"
        value={weight}
        aria-label={`Traffic on ${release.version}: ${label}`}
      />
      <Typography variant="body2" color="textSecondary">
        {label}
      </Typography>
    </Box>
  );
}

import Typography from '@material-ui/core/Typography';
import { doraLevelRange } from '@glidepath/backstage-plugin-common';

/**
 * Says once per page where the level chips come from, and where they
 * surprise: for the change failure rate, medium is better than high.
 */
export function LevelsNote() {
  return (
    <Typography
      variant="body2"
      color="textSecondary"
      data-testid="glidepath-dora-levels-note"
    >
      Levels are the bands of the DORA 2024 report; hover over a level for its
      range. For change failure rate, medium (
      {doraLevelRange('changeFailureRate', 'medium')}) is better than high (
      {doraLevelRange('changeFailureRate', 'high')}), as in the report.
    </Typography>
  );
}

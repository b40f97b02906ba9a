import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import Grid from '@material-ui/core/Grid';
import Paper from '@material-ui/core/Paper';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import {
  DoraChange,
  DoraLevel,
  doraLevelDescription,
  DoraMeasure,
  DoraMeasures,
  doraTrendWords,
  doraValue,
} from '@glidepath/backstage-plugin-common';
import {
  basisOf,
  DORA_MEASURES,
  formatMeasure,
  levelOf,
  p90Of,
} from '../../lib/dora';

const LEVEL_COLORS: Record<DoraLevel, string> = {
  elite: '#1b5e20',
  high: '#2e7d32',
  medium: '#b26a00',
  low: '#c62828',
};

const useStyles = makeStyles(theme => ({
  tile: { padding: theme.spacing(2), height: '100%' },
  value: { fontSize: '1.6rem', fontWeight: 600, lineHeight: 1.3 },
}));

/** A DORA level as a coloured chip, with its band's range on hover. */
export function DoraLevelChip(props: {
  level: DoraLevel | null;
  measure: DoraMeasure;
}) {
  const { level, measure } = props;
  if (!level) {
    return <Chip size="small" label="no data" variant="outlined" />;
  }
  return (
    <Tooltip title={doraLevelDescription(measure, level)}>
      <Chip
        size="small"
        label={level}
        data-testid="glidepath-dora-level"
        style={{ backgroundColor: LEVEL_COLORS[level], color: '#fff' }}
      />
    </Tooltip>
  );
}

const TREND_SIGN: Record<DoraChange['trend'], string> = {
  better: '▲',
  worse: '▼',
  same: '=',
  'no-data': '',
};

/**
 * The four DORA measures as tiles: value, level, what it was computed
 * from, p90 where there is one and, given `changes`, how each moved.
 */
export function DoraTiles(props: {
  measures: DoraMeasures;
  changes?: DoraChange[];
  compact?: boolean;
}) {
  const { measures, changes, compact } = props;
  const classes = useStyles();
  return (
    <Grid container spacing={2} data-testid="glidepath-dora-tiles">
      {DORA_MEASURES.map(({ measure, title, help }) => {
        const p90 = p90Of(measures, measure);
        const change = changes?.find(c => c.measure === measure);
        return (
          <Grid item xs={12} sm={6} md={compact ? 6 : 3} key={measure}>
            <Paper
              variant="outlined"
              className={classes.tile}
              data-testid={`glidepath-dora-tile-${measure}`}
            >
              <Tooltip title={help}>
                <Typography variant="overline">{title}</Typography>
              </Tooltip>
              <Box display="flex" alignItems="center" gridGap={8}>
                <span className={classes.value}>
                  {formatMeasure(measure, doraValue(measures, measure))}
                </span>
                <DoraLevelChip
                  level={levelOf(measures, measure)}
                  measure={measure}
                />
              </Box>
              <Typography variant="body2" color="textSecondary">
                {basisOf(measures, measure)}
                {p90 !== null && ` · p90 ${formatMeasure(measure, p90)}`}
              </Typography>
              {change && change.trend !== 'no-data' && (
                <Typography
                  variant="body2"
                  data-testid="glidepath-dora-change"
                  style={{
                    color:
                      {
                        better: LEVEL_COLORS.high,
                        worse: LEVEL_COLORS.low,
                        same: undefined,
                      }[change.trend] ?? undefined,
                  }}
                >
                  {TREND_SIGN[change.trend]} {doraTrendWords(change.trend)} (
                  {formatMeasure(measure, change.previous)})
                </Typography>
              )}
            </Paper>
          </Grid>
        );
      })}
    </Grid>
  );
}

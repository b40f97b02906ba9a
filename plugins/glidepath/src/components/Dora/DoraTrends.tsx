import Grid from '@material-ui/core/Grid';
import Paper from '@material-ui/core/Paper';
import Typography from '@material-ui/core/Typography';
import { useTheme } from '@material-ui/core/styles';
import type { DoraResponse } from '@glidepath/backstage-plugin-common';
import {
  CartesianGrid,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import {
  CHART_UNIT,
  chartValue,
  DORA_MEASURES,
  formatMeasure,
  trendOf,
} from '../../lib/dora';

const day = (time: number) =>
  new Date(time).toLocaleDateString([], { month: 'short', day: 'numeric' });

/**
 * The four measures bucket by bucket (weeks or months), one small line
 * chart each; a gap where a bucket has no value.
 */
export function DoraTrends(props: {
  series: DoraResponse['series'];
  /** A fixed width, for tests (where nothing can be measured). */
  width?: number;
}) {
  const { series, width } = props;
  const theme = useTheme();
  return (
    <Grid container spacing={2} data-testid="glidepath-dora-trends">
      {DORA_MEASURES.map(({ measure, title }) => {
        const data = trendOf(series, measure).map(point => ({
          time: point.time,
          value: point.value === null ? null : chartValue(measure, point.value),
          raw: point.value,
        }));
        const chart = (
          <LineChart
            data={data}
            width={width}
            height={width === undefined ? undefined : 180}
            margin={{ top: 8, right: 16, bottom: 0, left: 0 }}
          >
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="time" tickFormatter={day} minTickGap={24} />
            <YAxis width={48} />
            <Tooltip
              labelFormatter={time => `Week of ${day(Number(time))}`}
              formatter={(_value: number, _name: string, item: any) => [
                formatMeasure(measure, item.payload.raw),
                title,
              ]}
            />
            <Line
              dataKey="value"
              name={title}
              stroke={theme.palette.primary.main}
              strokeWidth={2}
              dot={data.length <= 30}
              connectNulls={false}
              isAnimationActive={false}
            />
          </LineChart>
        );
        return (
          <Grid item xs={12} md={6} key={measure}>
            <Paper
              variant="outlined"
              style={{ padding: 12 }}
              data-testid={`glidepath-dora-trend-${measure}`}
            >
              <Typography variant="subtitle2">
                {title}{' '}
                <Typography
                  component="span"
                  variant="caption"
                  color="textSecondary"
                >
                  ({CHART_UNIT[measure]})
                </Typography>
              </Typography>
              {width === undefined ? (
                <ResponsiveContainer width="100%" height={180}>
                  {chart}
                </ResponsiveContainer>
              ) : (
                chart
              )}
            </Paper>
          </Grid>
        );
      })}
    </Grid>
  );
}

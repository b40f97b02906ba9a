import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { useTheme } from '@material-ui/core/styles';
import {
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { formatChartValue, MetricChart } from '../../lib/analysis/charts';
import { formatTime } from '../../lib/time';
import { SimulatedChip } from '../SimulatedChip';

/** The height of one rule's chart, in pixels. */
export const CHART_HEIGHT = 200;

/** Above this many points a line shows no dots. */
const MAX_DOTS = 30;

function clock(time: number): string {
  // Evaluations come seconds apart: minutes alone would repeat.
  return new Date(time).toLocaleTimeString([], {
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
}

/**
 * One rule's canary and baseline measures over the release, with the limit
 * where it means something. Fills its container's width unless `width` is
 * given (a fixed width also draws where nothing can be measured).
 */
export function AnalysisChart(props: { chart: MetricChart; width?: number }) {
  const { chart, width } = props;
  const theme = useTheme();
  const format = (value: number) => formatChartValue(value, chart.unit);
  const dot = chart.points.length <= MAX_DOTS;

  const lineChart = (
    <LineChart
      data={chart.points}
      width={width}
      height={width === undefined ? undefined : CHART_HEIGHT}
      margin={{ top: 8, right: 16, bottom: 0, left: 8 }}
    >
      <CartesianGrid strokeDasharray="3 3" />
      <XAxis
        dataKey="time"
        type="number"
        scale="time"
        domain={['dataMin', 'dataMax']}
        tickFormatter={clock}
      />
      <YAxis tickFormatter={format} width={72} />
      <Tooltip
        labelFormatter={time => formatTime(new Date(time).toISOString())}
        formatter={(value: number) => format(value)}
      />
      <Legend />
      <Line
        dataKey="canary"
        name="Canary"
        stroke={theme.palette.secondary.main}
        strokeWidth={2}
        dot={dot}
        isAnimationActive={false}
      />
      <Line
        dataKey="baseline"
        name="Baseline"
        stroke={theme.palette.primary.main}
        strokeWidth={2}
        dot={dot}
        isAnimationActive={false}
      />
      {chart.limitSeries && (
        <Line
          dataKey="limit"
          name="Baseline + limit"
          stroke={theme.palette.error.main}
          strokeDasharray="6 4"
          dot={false}
          isAnimationActive={false}
        />
      )}
      {chart.referenceLine && (
        <ReferenceLine
          y={chart.referenceLine.value}
          stroke={theme.palette.error.main}
          strokeDasharray="6 4"
          ifOverflow="extendDomain"
          label={{
            value: chart.referenceLine.label,
            position: 'insideTopRight',
            fill: theme.palette.text.secondary,
            fontSize: 12,
          }}
        />
      )}
    </LineChart>
  );

  return (
    <Box data-testid={`glidepath-analysis-chart-${chart.rule}`}>
      <Box display="flex" alignItems="center" style={{ gap: 8 }}>
        <Typography variant="subtitle2" component="h4">
          {chart.title}
        </Typography>
        {chart.simulated && <SimulatedChip />}
      </Box>
      <Typography variant="caption" color="textSecondary" component="p">
        {chart.unitLabel}
      </Typography>
      <div role="img" aria-label={chart.summary}>
        {width === undefined ? (
          <ResponsiveContainer width="100%" height={CHART_HEIGHT}>
            {lineChart}
          </ResponsiveContainer>
        ) : (
          lineChart
        )}
      </div>
    </Box>
  );
}

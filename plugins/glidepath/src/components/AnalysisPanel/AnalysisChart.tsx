import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { useTheme } from '@material-ui/core/styles';
import {
  Area,
  CartesianGrid,
  ComposedChart,
  ErrorBar,
  Legend,
  Line,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import {
  formatChartTick,
  formatChartValue,
  MetricChart,
} from '../../lib/analysis/charts';
import { formatTime } from '../../lib/time';

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
 * One rule's chart over the release: what the judge tested at each
 * evaluation (the canary's excess with its confidence range, or a burn rate)
 * against the policy's limit. Fills its container's width unless `width` is
 * given (a fixed width also draws where nothing can be measured).
 */
export function AnalysisChart(props: { chart: MetricChart; width?: number }) {
  const { chart, width } = props;
  const theme = useTheme();
  const format = (value: number) => formatChartValue(value, chart.unit);
  const dot = chart.points.length <= MAX_DOTS;
  // Few points draw their range as error bars (an area needs two points to
  // show); many draw it as the shaded area alone.
  const data = chart.points.map(point => ({
    ...point,
    error:
      dot && point.range && point.value !== null
        ? [point.value - point.range[0], point.range[1] - point.value]
        : undefined,
  }));
  const colour = theme.palette.primary.main;

  const composed = (
    <ComposedChart
      data={data}
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
        padding={
          chart.points.length === 1 ? { left: 24, right: 24 } : undefined
        }
        tickFormatter={clock}
      />
      <YAxis
        tickFormatter={(value: number) => formatChartTick(value, chart.unit)}
        width={64}
      />
      <Tooltip
        labelFormatter={time => formatTime(new Date(time).toISOString())}
        formatter={(value: number | [number, number]) =>
          Array.isArray(value)
            ? `${format(value[0])} to ${format(value[1])}`
            : format(value)
        }
      />
      <Legend />
      {chart.points.some(point => point.range) && (
        <Area
          dataKey="range"
          name="Confidence range"
          stroke="none"
          fill={colour}
          fillOpacity={0.18}
          isAnimationActive={false}
        />
      )}
      <Line
        dataKey="value"
        name={chart.valueLabel}
        stroke={colour}
        strokeWidth={2}
        dot={dot}
        isAnimationActive={false}
      >
        {dot && (
          <ErrorBar
            dataKey="error"
            width={6}
            strokeWidth={1.5}
            stroke={colour}
            direction="y"
          />
        )}
      </Line>
      <Line
        dataKey="limit"
        name="Limit"
        stroke={theme.palette.error.main}
        strokeDasharray="6 4"
        strokeWidth={2}
        dot={chart.points.length === 1}
        isAnimationActive={false}
      />
    </ComposedChart>
  );

  return (
    <Box data-testid={`glidepath-analysis-chart-${chart.rule}`}>
      <Typography variant="subtitle2" component="h4">
        {chart.title}
      </Typography>
      <Typography variant="caption" color="textSecondary" component="p">
        {chart.unitLabel}
      </Typography>
      <div role="img" aria-label={chart.summary}>
        {width === undefined ? (
          <ResponsiveContainer width="100%" height={CHART_HEIGHT}>
            {composed}
          </ResponsiveContainer>
        ) : (
          composed
        )}
      </div>
      <Typography variant="caption" color="textSecondary" component="p">
        {chart.howToRead}
      </Typography>
    </Box>
  );
}

import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell, { type TableCellProps } from '@material-ui/core/TableCell';
import TableContainer from '@material-ui/core/TableContainer';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import type {
  ProviderAnalysisRun,
  Verdict,
} from '@glidepath/backstage-plugin-common';
import { providerMetricRow } from '../../lib/analysis/evidence';
import { formatTime } from '../../lib/time';
import { VerdictChip } from './AnalysisChips';

/** The provider's verdict, or its phase while it has none (Running). */
function PhaseChip(props: { verdict: Verdict | null; phase: string }) {
  return props.verdict ? (
    <VerdictChip verdict={props.verdict} />
  ) : (
    <Chip size="small" variant="outlined" label={props.phase} />
  );
}

/**
 * A cell whose metric names and conditions wrap between words, never inside
 * one (Backstage's theme lets table cells break words anywhere).
 */
function Cell(props: TableCellProps) {
  return (
    <TableCell
      {...props}
      style={{ wordBreak: 'normal', overflowWrap: 'normal', ...props.style }}
    />
  );
}

function RunTable(props: { run: ProviderAnalysisRun }) {
  const { run } = props;
  const rows = run.metrics.map(providerMetricRow);
  return (
    <Box data-testid="glidepath-provider-analysis-run">
      <Box
        display="flex"
        alignItems="center"
        flexWrap="wrap"
        style={{ gap: 8 }}
      >
        <Typography variant="subtitle2" component="h4">
          {run.name}
        </Typography>
        <PhaseChip verdict={run.verdict} phase={run.phase} />
        <Typography variant="caption" color="textSecondary">
          {[run.kind, run.phase, `started ${formatTime(run.startedAt)}`]
            .filter(Boolean)
            .join(' · ')}
        </Typography>
      </Box>
      {run.message && (
        <Typography variant="body2" component="p">
          {run.message}
        </Typography>
      )}
      {rows.length === 0 ? (
        <Typography variant="body2" color="textSecondary">
          No metrics reported yet.
        </Typography>
      ) : (
        <TableContainer>
          <Table size="small" aria-label={`Metrics of ${run.name}`}>
            <TableHead>
              <TableRow>
                <Cell>Metric</Cell>
                <Cell>Verdict</Cell>
                <Cell>Measurements</Cell>
                <Cell>Latest values</Cell>
                <Cell>Condition</Cell>
              </TableRow>
            </TableHead>
            <TableBody>
              {rows.map(row => (
                <TableRow
                  key={row.name}
                  data-testid={`glidepath-provider-metric-${row.name}`}
                >
                  <Cell>
                    <Typography variant="body2">{row.name}</Typography>
                    {row.message && (
                      <Typography variant="caption" color="textSecondary">
                        {row.message}
                      </Typography>
                    )}
                  </Cell>
                  <Cell>
                    <PhaseChip verdict={row.verdict} phase={row.phase} />
                  </Cell>
                  <Cell>{row.counts}</Cell>
                  <Cell>
                    <Box display="flex" flexWrap="wrap" style={{ gap: 4 }}>
                      {row.earlier > 0 && (
                        <Typography variant="caption" color="textSecondary">
                          {row.earlier} earlier,
                        </Typography>
                      )}
                      {row.latest.map((m, i) => (
                        <span
                          key={i}
                          title={`${m.verdict ?? 'no verdict'} at ${formatTime(
                            m.at,
                          )}`}
                        >
                          <Chip
                            size="small"
                            variant={
                              m.verdict === 'fail' ? 'default' : 'outlined'
                            }
                            color={
                              m.verdict === 'fail' ? 'secondary' : 'default'
                            }
                            label={m.value}
                          />
                        </span>
                      ))}
                    </Box>
                  </Cell>
                  <Cell>
                    <Typography variant="caption">{row.condition}</Typography>
                  </Cell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </TableContainer>
      )}
    </Box>
  );
}

/**
 * The analysis the rollout provider ran itself (Argo Rollouts'
 * AnalysisRuns): each run with its metrics, their counts, latest values and
 * conditions, as the provider last reported them.
 */
export function ProviderAnalysis(props: {
  runs: ProviderAnalysisRun[];
  provider: string;
}) {
  return (
    <Box data-testid="glidepath-provider-analysis">
      <Typography variant="subtitle1" component="h3">
        Analysis runs by {props.provider}
      </Typography>
      <Typography variant="caption" color="textSecondary" component="p">
        What the rollout provider measured itself, as it last reported it.
        Glidepath judges the canary on its own metrics, apart from these.
      </Typography>
      <Box display="flex" flexDirection="column" mt={1} style={{ gap: 16 }}>
        {props.runs.map(run => (
          <RunTable key={run.name} run={run} />
        ))}
      </Box>
    </Box>
  );
}

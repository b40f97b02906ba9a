import { ReactNode, useState } from 'react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableContainer from '@material-ui/core/TableContainer';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import type { MetricEvidence } from '@glidepath/backstage-plugin-common';
import { evidenceRow } from '../../lib/analysis/evidence';
import { verdictLabel } from '../../lib/analysis/format';

function Cell(props: {
  main: ReactNode;
  detail?: ReactNode;
  noWrap?: boolean;
}) {
  return (
    <TableCell style={props.noWrap ? { whiteSpace: 'nowrap' } : undefined}>
      <Typography variant="body2" component="div">
        {props.main}
      </Typography>
      {props.detail && (
        <Typography variant="caption" color="textSecondary" component="div">
          {props.detail}
        </Typography>
      )}
    </TableCell>
  );
}

/**
 * The numbers behind failing rules: what canary and baseline served and the
 * policy's threshold; one click away, the statistics the judge decided on
 * (the canary's excess with its anytime-valid confidence bounds, the
 * sequential test's e-value against the one it fails at).
 */
export function AnalysisEvidence(props: {
  metrics: MetricEvidence[];
  caption: string;
}) {
  const [statistics, setStatistics] = useState(false);
  return (
    <Box>
      <TableContainer data-testid="glidepath-analysis-evidence">
        <Table size="small" aria-label={props.caption}>
          <TableHead>
            <TableRow>
              <TableCell>Rule</TableCell>
              <TableCell>Canary</TableCell>
              <TableCell>Baseline</TableCell>
              <TableCell>Policy threshold</TableCell>
              {statistics && <TableCell>Tested excess</TableCell>}
              {statistics && <TableCell>E-value</TableCell>}
            </TableRow>
          </TableHead>
          <TableBody>
            {props.metrics.map(evidenceRow).map(row => (
              <TableRow
                key={row.rule}
                data-testid={`glidepath-analysis-evidence-${row.rule}`}
              >
                <Cell main={row.label} detail={verdictLabel(row.verdict)} />
                <Cell main={row.canary.observed} detail={row.canary.counts} />
                <Cell
                  main={row.baseline.observed}
                  detail={row.baseline.counts}
                />
                <Cell main={row.threshold} />
                {statistics && (
                  <Cell
                    main={row.excess}
                    detail={`confidence bounds ${row.bounds}; tolerated up to ${row.tolerated}`}
                  />
                )}
                {statistics && (
                  <Cell
                    noWrap
                    main={row.eValue}
                    detail={`fails at ${row.eValueThreshold}`}
                  />
                )}
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </TableContainer>
      <Button
        size="small"
        onClick={() => setStatistics(!statistics)}
        aria-expanded={statistics}
        data-testid="glidepath-analysis-statistics-toggle"
      >
        {statistics ? 'Hide the statistics' : 'Show the statistics'}
      </Button>
    </Box>
  );
}

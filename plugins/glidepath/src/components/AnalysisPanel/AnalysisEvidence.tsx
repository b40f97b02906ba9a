import { ReactNode } from 'react';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableContainer from '@material-ui/core/TableContainer';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import type { MetricEvidence } from '@glidepath/backstage-plugin-common';
import { evidenceRow } from '../../lib/analysis/evidence';

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
 * The numbers behind failing rules: what canary and baseline served, the
 * canary's excess with its anytime-valid confidence bounds, the sequential
 * test's e-value against the one it fails at, and the policy's threshold.
 */
export function AnalysisEvidence(props: {
  metrics: MetricEvidence[];
  caption: string;
}) {
  return (
    <TableContainer data-testid="glidepath-analysis-evidence">
      <Table size="small" aria-label={props.caption}>
        <TableHead>
          <TableRow>
            <TableCell>Rule</TableCell>
            <TableCell>Canary</TableCell>
            <TableCell>Baseline</TableCell>
            <TableCell>Tested excess</TableCell>
            <TableCell>E-value</TableCell>
            <TableCell>Policy threshold</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {props.metrics.map(evidenceRow).map(row => (
            <TableRow
              key={row.rule}
              data-testid={`glidepath-analysis-evidence-${row.rule}`}
            >
              <Cell main={row.label} detail={row.summary} />
              <Cell main={row.canary.observed} detail={row.canary.counts} />
              <Cell main={row.baseline.observed} detail={row.baseline.counts} />
              <Cell
                main={row.excess}
                detail={`confidence bounds ${row.bounds}; tolerated up to ${row.tolerated}`}
              />
              <Cell
                noWrap
                main={row.eValue}
                detail={`fails at ${row.eValueThreshold}`}
              />
              <Cell main={row.threshold} />
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </TableContainer>
  );
}

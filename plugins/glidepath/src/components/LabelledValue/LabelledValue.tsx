import { ReactNode } from 'react';
import Typography from '@material-ui/core/Typography';

/**
 * A small grey label above its value, as the current release's fields and
 * the latest analysis's header show them. The caller places it (a grid
 * cell, a box).
 */
export function LabelledValue(props: { label: string; children: ReactNode }) {
  return (
    <>
      <Typography variant="caption" color="textSecondary" component="div">
        {props.label}
      </Typography>
      <Typography variant="body2" component="div">
        {props.children}
      </Typography>
    </>
  );
}

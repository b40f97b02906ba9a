import FormControl from '@material-ui/core/FormControl';
import InputLabel from '@material-ui/core/InputLabel';
import MenuItem from '@material-ui/core/MenuItem';
import Select from '@material-ui/core/Select';
import type { GraphDirection } from '@glidepath/backstage-plugin-common';

const DIRECTIONS: Array<{ value: GraphDirection; label: string }> = [
  { value: 'both', label: 'Dependencies and dependents' },
  { value: 'dependencies', label: 'What it depends on' },
  { value: 'dependents', label: 'What depends on it' },
];

/** A labelled select of a few values, with a test id on its input. */
export function LabelledSelect<T extends string | number>(props: {
  id: string;
  label: string;
  value: T;
  options: ReadonlyArray<{ value: T; label: string }>;
  onChange: (value: T) => void;
  minWidth?: number;
}) {
  const { id, label, value, options, onChange } = props;
  return (
    <FormControl
      variant="outlined"
      size="small"
      style={{ minWidth: props.minWidth ?? 140 }}
    >
      <InputLabel id={`${id}-label`}>{label}</InputLabel>
      <Select
        labelId={`${id}-label`}
        id={id}
        value={value}
        label={label}
        onChange={e => {
          const raw = e.target.value as string;
          const match = options.find(o => String(o.value) === String(raw));
          if (match) onChange(match.value);
        }}
        data-testid={id}
      >
        {options.map(o => (
          <MenuItem key={String(o.value)} value={o.value as any}>
            {o.label}
          </MenuItem>
        ))}
      </Select>
    </FormControl>
  );
}

/** Depth (1 to 10 hops) and direction of a neighbourhood. */
export function DepthDirectionControls(props: {
  depth: number;
  direction: GraphDirection;
  onDepth: (depth: number) => void;
  onDirection: (direction: GraphDirection) => void;
  minDepth?: number;
}) {
  const min = props.minDepth ?? 1;
  const depths = Array.from({ length: 11 - min }, (_, i) => ({
    value: i + min,
    label: `${i + min} ${i + min === 1 ? 'hop' : 'hops'}`,
  }));
  return (
    <>
      <LabelledSelect
        id="glidepath-graph-depth"
        label="Depth"
        value={props.depth}
        options={depths}
        onChange={props.onDepth}
      />
      <LabelledSelect
        id="glidepath-graph-direction"
        label="Direction"
        value={props.direction}
        options={DIRECTIONS}
        onChange={props.onDirection}
        minWidth={240}
      />
    </>
  );
}

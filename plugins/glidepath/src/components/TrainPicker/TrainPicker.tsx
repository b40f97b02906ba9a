import { useApi } from '@backstage/core-plugin-api';
import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import Autocomplete from '@material-ui/lab/Autocomplete';
import type { ReleaseTrain } from '@glidepath/backstage-plugin-common';
import useAsync from 'react-use/esm/useAsync';
import { glidepathApiRef } from '../../api';
import { describeScope, describeTrainNext } from '../../lib/calendar';

/** A train to pick, or an id the calendar does not have (kept to clear). */
type TrainOption = { id: string; title: string; train?: ReleaseTrain };

const NO_TRAINS =
  'No release trains yet: they are kept in app-config (glidepath.calendar.trains) or added through the API (POST /api/glidepath/calendar/trains, glidepath.calendar.manage).';

/**
 * A scaffolder field (`ui:field: GlidepathTrainPicker`) that picks one of
 * the release trains on Glidepath's calendar (`GET /calendar/trains`), each
 * shown with its scope and next slot. The value is the train's id, as
 * `glidepath:plan:create` takes it; cleared, the empty string (no train).
 */
export function TrainPicker(props: FieldExtensionComponentProps<string>) {
  const {
    onChange,
    schema,
    uiSchema,
    rawErrors,
    formData,
    required,
    disabled,
    readonly,
    idSchema,
  } = props;
  const api = useApi(glidepathApiRef);
  const {
    value: trains = [],
    loading,
    error,
  } = useAsync(async () => (await api.listReleaseTrains()).items, [api]);
  const options: TrainOption[] = trains.map(train => ({
    id: train.id,
    title: train.title,
    train,
  }));
  // A train id the list does not have (removed since, or typed into the
  // template's defaults) is shown as it is and said, so it can be cleared.
  const unknown =
    !loading && !error && formData && !trains.some(t => t.id === formData)
      ? formData
      : undefined;
  if (unknown) options.push({ id: unknown, title: unknown });
  const selected = options.find(option => option.id === formData) ?? null;
  const problems = rawErrors?.length ? rawErrors.join(' ') : undefined;
  let help: string | undefined =
    problems ??
    (unknown ? `No release train ${unknown} on the calendar.` : undefined);
  if (error) help = `Could not list the release trains: ${error.message}`;
  else if (!help && !loading && trains.length === 0) help = NO_TRAINS;
  const describe = (train: ReleaseTrain) =>
    `${describeScope(train.scope)} · ${describeTrainNext(train)}`;

  return (
    <Autocomplete<TrainOption>
      id={idSchema?.$id}
      options={options}
      loading={loading}
      value={selected}
      disabled={disabled || readonly}
      onChange={(_event, option) => onChange(option?.id ?? '')}
      getOptionLabel={option => option.title}
      getOptionSelected={(option, value) => option.id === value.id}
      renderOption={option => (
        <div data-testid="glidepath-train-option">
          <Typography variant="body2">{option.title}</Typography>
          <Typography variant="caption" color="textSecondary">
            {option.train
              ? describe(option.train)
              : 'Not on the calendar: clear it or pick a train'}
          </Typography>
        </div>
      )}
      renderInput={params => (
        <TextField
          {...params}
          label={uiSchema?.['ui:title'] ?? schema.title ?? 'Release train'}
          margin="dense"
          variant="outlined"
          required={required}
          error={Boolean(problems) || Boolean(unknown) || Boolean(error)}
          helperText={
            help ??
            (selected?.train ? describe(selected.train) : schema.description)
          }
        />
      )}
    />
  );
}

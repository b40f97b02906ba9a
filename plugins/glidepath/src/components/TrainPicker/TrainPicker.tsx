import { useApi } from '@backstage/core-plugin-api';
import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import Autocomplete from '@material-ui/lab/Autocomplete';
import type { ReleaseTrain } from '@glidepath/backstage-plugin-common';
import useAsync from 'react-use/esm/useAsync';
import { glidepathApiRef } from '../../api';
import { describeScope, describeTrainNext } from '../../lib/calendar';

/**
 * A scaffolder field (`ui:field: GlidepathTrainPicker`) that picks one of
 * the release trains on Glidepath's calendar (`GET /calendar/trains`), each
 * shown with its scope and next slot. The value is the train's id, as
 * `glidepath:plan:create` takes it; cleared, the empty string (no train).
 */
export function TrainPicker(props: FieldExtensionComponentProps<string>) {
  const { onChange, schema, rawErrors, formData, required, idSchema } = props;
  const api = useApi(glidepathApiRef);
  const {
    value: trains = [],
    loading,
    error,
  } = useAsync(async () => (await api.listReleaseTrains()).items, [api]);
  const selected = trains.find(train => train.id === formData) ?? null;
  const problems = rawErrors?.length ? rawErrors.join(' ') : undefined;
  // A train id the list does not have (removed since, or typed into the
  // template's defaults) is said, not silently dropped.
  const unknown =
    !loading && !error && formData && !selected
      ? `No release train ${formData} on the calendar.`
      : undefined;
  let help: string | undefined = problems ?? unknown;
  if (error) help = `Could not list the release trains: ${error.message}`;
  else if (!help && !loading && trains.length === 0) {
    help =
      'No release trains yet: a release manager adds them on the Release calendar page or in app-config (glidepath.calendar.trains).';
  }

  return (
    <Autocomplete<ReleaseTrain>
      id={idSchema?.$id}
      options={trains}
      loading={loading}
      value={selected}
      onChange={(_event, train) => onChange(train?.id ?? '')}
      getOptionLabel={train => train.title}
      getOptionSelected={(option, value) => option.id === value.id}
      renderOption={train => (
        <div data-testid="glidepath-train-option">
          <Typography variant="body2">{train.title}</Typography>
          <Typography variant="caption" color="textSecondary">
            {describeScope(train.scope)} · {describeTrainNext(train)}
          </Typography>
        </div>
      )}
      renderInput={params => (
        <TextField
          {...params}
          label={schema.title ?? 'Release train'}
          margin="dense"
          variant="outlined"
          required={required}
          error={Boolean(problems) || Boolean(unknown) || Boolean(error)}
          helperText={
            help ??
            (selected
              ? `${describeScope(selected.scope)} · ${describeTrainNext(
                  selected,
                )}`
              : schema.description)
          }
        />
      )}
    />
  );
}

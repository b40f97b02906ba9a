import { useApi } from '@backstage/core-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import Autocomplete from '@material-ui/lab/Autocomplete';
import useAsync from 'react-use/esm/useAsync';
import {
  pickerOptions,
  TemplateCatalogFilter,
  toCatalogFilter,
} from './entities';

/** The picker's `ui:options`. */
export type ServicePickerOptions = {
  /** Which entities to offer, as EntityPicker's `catalogFilter`. */
  catalogFilter?: TemplateCatalogFilter;
};

/**
 * A scaffolder field (`ui:field: GlidepathServicePicker`) that picks one
 * entity, like Backstage's EntityPicker, but lists them sorted by title or
 * name (EntityPicker keeps the catalog's own order), each with its
 * description. The value is the entity's reference.
 */
export function ServicePicker(
  props: FieldExtensionComponentProps<string, ServicePickerOptions>,
) {
  const {
    onChange,
    schema,
    uiSchema,
    rawErrors,
    formData,
    required,
    idSchema,
  } = props;
  const catalogApi = useApi(catalogApiRef);
  const filter = uiSchema['ui:options']?.catalogFilter;
  const filterKey = JSON.stringify(filter ?? null);
  const {
    value: options = [],
    loading,
    error,
  } = useAsync(async () => {
    const { items } = await catalogApi.getEntities({
      filter: toCatalogFilter(filter),
      fields: [
        'kind',
        'metadata.name',
        'metadata.namespace',
        'metadata.title',
        'metadata.description',
      ],
    });
    return pickerOptions(items);
    // The filter is compared by its content.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [catalogApi, filterKey]);
  const selected = options.find(option => option.ref === formData) ?? null;
  const problems = rawErrors?.length ? rawErrors.join(' ') : undefined;

  return (
    <Autocomplete
      id={idSchema?.$id}
      options={options}
      loading={loading}
      value={selected}
      onChange={(_event, option) => onChange(option?.ref ?? '')}
      getOptionLabel={option => option.label}
      getOptionSelected={(option, value) => option.ref === value.ref}
      renderOption={option => (
        <div>
          <Typography variant="body2">
            {option.label}
            {option.name && (
              <Typography variant="caption" color="textSecondary">
                {' '}
                ({option.name})
              </Typography>
            )}
          </Typography>
          {option.description && (
            <Typography variant="caption" color="textSecondary">
              {option.description}
            </Typography>
          )}
        </div>
      )}
      renderInput={params => (
        <TextField
          {...params}
          label={schema.title ?? 'Service'}
          margin="dense"
          variant="outlined"
          required={required}
          error={Boolean(problems) || Boolean(error)}
          helperText={
            error
              ? `Could not list the services: ${error.message}`
              : problems ?? schema.description
          }
        />
      )}
    />
  );
}

import {
  CATALOG_FILTER_EXISTS,
  type EntityFilterQuery,
} from '@backstage/catalog-client';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';

/** A `catalogFilter` as templates write it (EntityPicker's ui:options). */
export type TemplateCatalogFilter =
  | Record<string, unknown>
  | Record<string, unknown>[];

/**
 * A template's `catalogFilter` as the catalog API takes it: a value
 * `{ exists: true }` becomes "has this field", as with Backstage's own
 * EntityPicker.
 */
export function toCatalogFilter(
  filter: TemplateCatalogFilter | undefined,
): EntityFilterQuery | undefined {
  if (!filter) return undefined;
  const convert = (one: Record<string, unknown>) =>
    Object.fromEntries(
      Object.entries(one).map(([key, value]) => [
        key,
        value &&
        typeof value === 'object' &&
        (value as { exists?: unknown }).exists === true
          ? CATALOG_FILTER_EXISTS
          : (value as string | string[]),
      ]),
    );
  return Array.isArray(filter) ? filter.map(convert) : convert(filter);
}

/** An entity as the picker offers it. */
export type PickerOption = {
  ref: string;
  /** Its title, else its name. */
  label: string;
  /** Its name when the label is a title, else nothing. */
  name: string | null;
  description: string | null;
};

/** The entities as options, sorted by what people read: title, else name. */
export function pickerOptions(entities: readonly Entity[]): PickerOption[] {
  return entities
    .map(entity => {
      const title = entity.metadata.title?.trim();
      return {
        ref: stringifyEntityRef(entity),
        label: title || entity.metadata.name,
        name: title ? entity.metadata.name : null,
        description: entity.metadata.description ?? null,
      };
    })
    .sort(
      (a, b) =>
        a.label.localeCompare(b.label, 'en', { sensitivity: 'base' }) ||
        a.ref.localeCompare(b.ref),
    );
}

/**
 * Catalog refs compare without regard to case; Glidepath keys them in lower
 * case. Kinds, namespaces and names are ASCII by the catalog's own rules, so
 * plain `toLowerCase` gives what `toLocaleLowerCase('en-US')` would, several
 * times faster (this runs for every relation of every entity of a graph).
 * @public
 */
export function normalizeEntityRef(ref: string): string {
  return ref.toLowerCase();
}

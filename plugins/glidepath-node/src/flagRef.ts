/**
 * A flag target's ref split into its name and its filters:
 * `<name>[?<key>=<value>[&<key>=<value>...]]`, values URL-decoded. The
 * `glidepath.dev/flags` annotation has checked the form; what the name and
 * the filters mean is each provider's to say (e.g. an Unleash project and
 * tags).
 * @public
 */
export type FlagRef = {
  name: string;
  filters: Array<{ key: string; value: string }>;
};

/** Splits a flag target's ref; see {@link FlagRef}. @public */
export function splitFlagRef(ref: string): FlagRef {
  const question = ref.indexOf('?');
  const name = question < 0 ? ref : ref.slice(0, question);
  const query = question < 0 ? '' : ref.slice(question + 1);
  const filters = query
    ? query.split('&').map(pair => {
        const equals = pair.indexOf('=');
        const key = equals < 0 ? pair : pair.slice(0, equals);
        const raw = equals < 0 ? '' : pair.slice(equals + 1);
        let value: string;
        try {
          value = decodeURIComponent(raw);
        } catch {
          value = raw;
        }
        return { key, value };
      })
    : [];
  return { name, filters };
}

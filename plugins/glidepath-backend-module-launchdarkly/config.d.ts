import type { HumanDuration } from '@backstage/types';

export interface Config {
  glidepath?: {
    /**
     * Glidepath's `launchdarkly` flag provider. Entities name their flags
     * with the annotation
     * `glidepath.dev/flags: launchdarkly:<projectKey>[?tags=<tag>]`.
     */
    launchdarkly?: {
      /**
       * LaunchDarkly's URL, without `/api/v2`. Defaults to
       * "https://app.launchdarkly.com"; the EU instance is
       * "https://app.eu.launchdarkly.com", the federal one
       * "https://app.launchdarkly.us".
       */
      baseUrl?: string;
      /**
       * A LaunchDarkly API access token (a service token, or a personal
       * one), sent as the Authorization header. Reading needs the Reader
       * role; archiving needs the right to update flags (e.g. Writer).
       * Required.
       * @visibility secret
       */
      token: string;
      /**
       * The environment keys to read each project's flags in, e.g.
       * ["production", "staging"]. Defaults to every environment of the
       * project.
       */
      environments?: string[];
      /**
       * How long one request to LaunchDarkly may take, e.g. "30s" or
       * { seconds: 30 }. Defaults to 30 seconds.
       */
      timeout?: HumanDuration | string;
    };
  };
}

import type { HumanDuration } from '@backstage/types';

export interface Config {
  glidepath?: {
    /**
     * Glidepath's `unleash` flag provider. Entities name their flags with
     * the annotation `glidepath.dev/flags: unleash:<project>[?tags=<tag>]`.
     */
    unleash?: {
      /**
       * Unleash's URL, without `/api`, e.g. "https://unleash.example.com"
       * or, for a hosted instance, "https://eu.app.unleash-hosted.com/acme".
       * Required when the module is installed.
       */
      baseUrl: string;
      /**
       * A token for Unleash's Admin API: a personal access token, a service
       * account's token or an admin API token. Reading needs the right to
       * read flags; archiving needs the right to archive them
       * (DELETE_FEATURE) in their projects. Required.
       * @visibility secret
       */
      token: string;
      /**
       * How long one request to Unleash may take, e.g. "30s" or
       * { seconds: 30 }. Defaults to 30 seconds.
       */
      timeout?: HumanDuration | string;
    };
  };
}

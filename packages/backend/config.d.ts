export interface Config {
  permission?: {
    /**
     * Groups whose members may change every catalog entity and act on every
     * service's releases, whoever owns it. Entity refs; kind defaults to
     * `group` and namespace to `default`.
     */
    adminGroups?: string[];
  };
}

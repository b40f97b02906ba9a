export interface Config {
  permission?: {
    /**
     * Groups whose members may change every catalog entity and act on every
     * service's releases, whoever owns it. Entity refs; kind defaults to
     * `group` and namespace to `default`.
     */
    adminGroups?: string[];
    /**
     * Groups whose members may break a freeze (`glidepath.freeze.override`:
     * promote or resume a release, or let a release plan's waves go on,
     * during a freeze window, with a reason) without being admins. Entity
     * refs, as for `adminGroups`.
     */
    releaseManagerGroups?: string[];
  };
}

import type {
  MetricsProvider,
  RolloutProvider,
} from '@glidepath/backstage-plugin-node';

/**
 * The providers of one kind installed in this backend, by id: rollout
 * providers (the default) or metrics providers.
 */
export class ProviderRegistry<
  P extends { readonly id: string } = RolloutProvider,
> {
  private readonly providers = new Map<string, P>();

  /** @param kind - how messages name the providers, e.g. "rollout". */
  constructor(private readonly kind: string = 'rollout') {}

  add(provider: P): void {
    if (this.providers.has(provider.id)) {
      throw new Error(
        `Two Glidepath ${this.kind} providers are registered with the id "${provider.id}"; each provider id must be unique`,
      );
    }
    this.providers.set(provider.id, provider);
  }

  get(id: string): P | undefined {
    return this.providers.get(id);
  }

  ids(): string[] {
    return [...this.providers.keys()].sort();
  }

  /** The problem to show on an entity whose annotation names an unknown id. */
  unknownProviderMessage(id: string): string {
    const ids = this.ids();
    return `no ${
      this.kind
    } provider "${id}" is installed in this Backstage backend (installed: ${
      ids.length ? ids.join(', ') : 'none'
    })`;
  }
}

/** The metrics providers installed in this backend, by id. */
export type MetricsProviderRegistry = ProviderRegistry<MetricsProvider>;

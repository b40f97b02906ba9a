import type { SignalsService } from '@backstage/plugin-signals-node';
import type { LoggerService } from '@backstage/backend-plugin-api';
import {
  releaseSignalChannel,
  ReleaseSignal,
} from '@glidepath/backstage-plugin-common';

/**
 * Tells open entity pages that an entity's releases or actions changed. The
 * message carries ids only; pages fetch what they may read through the API.
 */
export class ReleaseNotifier {
  constructor(
    private readonly signals: SignalsService | undefined,
    private readonly logger: LoggerService,
  ) {}

  async notify(signal: ReleaseSignal): Promise<void> {
    if (!this.signals) return;
    try {
      await this.signals.publish<ReleaseSignal>({
        recipients: { type: 'broadcast' },
        channel: releaseSignalChannel(signal.entityRef),
        message: signal,
      });
    } catch (error) {
      // A page that misses a signal still polls; never fail the caller.
      this.logger.warn(
        `Could not publish a Glidepath signal for ${signal.entityRef}: ${error}`,
      );
    }
  }
}

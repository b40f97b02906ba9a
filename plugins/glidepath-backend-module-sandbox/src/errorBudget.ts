import type { Config } from '@backstage/config';
import { invalidConfigValue } from '@glidepath/backstage-plugin-node';

/**
 * Reads `glidepath.sandbox.errorRatioByService`: per service, the share of
 * its requests that failed over the error budget's window (0 to 1), as the
 * sandbox's metrics provider reports it (`readServiceErrors`). The demo
 * gives one service a ratio above its SLO's budget, so that its budget is
 * spent and the error-budget policy freezes it.
 */
export function readSandboxErrorRatios(root: Config): Record<string, number> {
  const key = 'errorRatioByService';
  const byService = root.getOptionalConfig(`glidepath.sandbox.${key}`);
  const ratios: Record<string, number> = {};
  for (const service of byService?.keys() ?? []) {
    const ratio = byService!.get(service);
    if (typeof ratio !== 'number' || !(ratio >= 0 && ratio <= 1)) {
      throw invalidConfigValue(
        'glidepath.sandbox',
        `${key}.${service}`,
        'a number from 0 to 1',
        ratio,
      );
    }
    ratios[service] = ratio;
  }
  return ratios;
}

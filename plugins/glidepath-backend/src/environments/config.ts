import { Config } from '@backstage/config';
import {
  DEFAULT_ENVIRONMENTS,
  EnvironmentDefinition,
  environmentsProblem,
} from '@glidepath/backstage-plugin-common';
import { invalidConfigValue } from '@glidepath/backstage-plugin-node';

/**
 * Reads `glidepath.environments`: the organisation's environments in
 * promotion order, each `{ name, production }`. Staging then production when
 * the config names none; a list that cannot be used stops the backend with
 * the reason.
 */
export function readEnvironmentsConfig(
  config: Config | undefined,
): EnvironmentDefinition[] {
  const list = config?.getOptionalConfigArray('environments');
  if (!list) return DEFAULT_ENVIRONMENTS.map(e => ({ ...e }));
  const environments = list.map(item => ({
    name: item.getString('name'),
    production: item.getOptionalBoolean('production') ?? false,
  }));
  const problem = environmentsProblem(environments);
  if (problem) {
    throw invalidConfigValue(
      'glidepath',
      'environments',
      `a list of environments in promotion order, each { name, production } (${problem})`,
      environments,
    );
  }
  return environments;
}

export { EnvironmentReleases } from './EnvironmentReleases';

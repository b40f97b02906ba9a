export { ReleaseSteps } from './ReleaseSteps';

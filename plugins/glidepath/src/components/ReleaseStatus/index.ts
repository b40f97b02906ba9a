export { ActionStateStatus, ReleasePhaseStatus } from './ReleaseStatus';

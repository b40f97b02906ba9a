export { EnvironmentRollbackTest } from './EnvironmentRollbackTest';
export { RollbackGateNotice } from './RollbackGateNotice';

export {
  ActionStateStatus,
  ReleasePhaseStatus,
  SIMULATED_EXPLANATION,
  SimulatedChip,
} from './ReleaseStatus';

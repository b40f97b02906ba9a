export { PlanPage, PlanDetails, SimulationChip } from './PlanPage';
export { PlanStateStatus, MemberStateStatus } from './PlanStatus';

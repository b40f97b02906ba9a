export { RollbackRequirementWarnings } from './RequirementWarnings';

export { EntityPlanCard } from './EntityPlanCard';

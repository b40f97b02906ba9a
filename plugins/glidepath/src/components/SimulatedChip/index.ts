export { SIMULATED_EXPLANATION, SimulatedChip } from './SimulatedChip';

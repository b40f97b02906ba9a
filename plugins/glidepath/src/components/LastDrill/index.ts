export { LastDrill } from './LastDrill';

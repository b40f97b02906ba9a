export { ActionButtons } from './ActionButtons';

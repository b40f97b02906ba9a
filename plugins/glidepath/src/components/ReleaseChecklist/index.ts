export { ReleaseChecklist } from './ReleaseChecklist';

export { ReleaseHealthContent, DoraOverview } from './ReleaseHealthContent';
export { ReleaseHealthCard } from './ReleaseHealthCard';

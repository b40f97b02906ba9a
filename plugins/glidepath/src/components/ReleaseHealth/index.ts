export { ReleaseHealthContent } from './ReleaseHealthContent';
export { ReleaseHealthCard } from './ReleaseHealthCard';

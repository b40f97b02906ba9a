export { DoraOverview, RECENT_DAYS } from './DoraOverview';
export { DoraFailures } from './DoraFailures';
export { DoraLevelChip, DoraTiles } from './DoraTiles';

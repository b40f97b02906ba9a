export { FlagsPage, FlagsSummaryView } from './FlagsPage';

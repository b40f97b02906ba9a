export { FlagsContent, FlagsView } from './FlagsContent';

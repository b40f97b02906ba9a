export { DependenciesContent } from './DependenciesContent';

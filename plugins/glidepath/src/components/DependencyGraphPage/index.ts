export { DependencyGraphPage } from './DependencyGraphPage';

export { CurrentRelease } from './CurrentRelease';

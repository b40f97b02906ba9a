export { GameDaysPage } from './GameDaysPage';

export { TrainPicker } from './TrainPicker';

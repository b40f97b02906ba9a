export { LabelledValue } from './LabelledValue';

export { ServicePicker } from './ServicePicker';
export type { ServicePickerOptions } from './ServicePicker';

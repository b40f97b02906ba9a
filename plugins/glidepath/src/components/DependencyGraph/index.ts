export { DepthDirectionControls, LabelledSelect } from './GraphControls';
export { GraphPanel } from './GraphPanel';

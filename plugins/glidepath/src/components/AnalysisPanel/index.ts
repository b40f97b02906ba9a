export { AnalysisPanel, ReleaseAnalysis } from './AnalysisPanel';

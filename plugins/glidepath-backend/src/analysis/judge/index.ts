/**
 * The canary judge: pure functions, no I/O. The engine feeds it counts and
 * acts on its decisions; the benchmark feeds it recordings.
 */
export * from './decide';
export * from './histogram';
export * from './input';
export * from './judge';
export * from './policy';
export { judgeWarmup, WARMUP_GROSS_EXCESS } from './warmup';
export { testAboveRate, testDifference } from './rateTests';
export { confidenceHalfWidth, eValueAboveZero } from './sequential';

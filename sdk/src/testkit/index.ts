export { MemoryStore, compareIds } from './memory-store.ts';
export { runStream, ContractViolation, SimulatedCrash, type RunReport, type RunStreamOptions } from './run-stream.ts';
export { checkIdempotentRerun, checkMonotonicCursors, checkCrashResume, checkWebhookRejectsBadSignatures } from './contract.ts';
export * from './demo-world/index.ts';

export { MemoryStore, compareIds } from './memory-store.ts';
export { runStream, ContractViolation, SimulatedCrash, type RunReport, type RunStreamOptions } from './run-stream.ts';
export { checkIdempotentRerun, checkMonotonicCursors, checkCrashResume, checkWebhookRejectsBadSignatures } from './contract.ts';
export * from './demo-world/index.ts';
export { startFakeHttpServer, answerTokenRequest, hasBearer, type FakeHttpServer, type FakeHttpServerOptions, type FakeRequest, type FakeResponse, type FakeFaults, type FakeOAuthClient } from './fake-http-server.ts';

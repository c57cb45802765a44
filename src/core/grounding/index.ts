export { groundedQuality } from "./accuracy.js";
export { CitationVerifier, MAX_JUDGE_ITEMS, type SourceLookup, type VerifyRequest } from "./citation-verifier.js";
export { createModelJudge, type ClaimJudge, type JudgeItem, type JudgeRequest } from "./judge.js";
export { GroundingLedger, type GroundingFigures } from "./ledger.js";

export { withRetry, abortableDelay, TransientCallError, type RetryOptions, type RetryDelay } from "./retry.js";
export {
  requestJson,
  statusError,
  authError,
  formatSeconds,
  type JsonResponse,
  type RequestJsonOptions,
} from "./request-json.js";
export { raceAbort } from "./race-abort.js";

// What a framework adapter is built from: one call that turns the user's options into a
// recorder and an endpoint, the request-lifecycle machinery, body-byte counting, the option
// rules adapters validate their own keys with, and the series families for packages that
// define metrics of their own (orm-prisma). Applications never need this entry.
export { checkSummaryWindow, METRIC_DEFINITION_SHAPES } from './business/business-metrics.js';
export {
  createHttpInstrumentation,
  type HttpInstrumentation,
  type InstrumentationContext,
} from './composition/http-instrumentation.js';
export { optionError } from './errors.js';
export { isMetricsPath } from './exposition/metrics-path.js';
export type { LabelSetCap } from './families/label-set-cap.js';
export type { ConflictContext } from './families/registered-metric.js';
export { type CounterSeries, SeriesCounter } from './families/series-counter.js';
export { type HistogramSeries, SeriesHistogram } from './families/series-histogram.js';
export {
  ExpressLifecycle,
  type ExpressLifecycleOptions,
  ExpressRequest,
  expressRequestOf,
  markExpressNotFound,
  noteExpressError,
} from './frameworks/express/express-lifecycle.js';
export {
  frameworkPrototype,
  hookRequestPrototype,
  hookResponsePrototype,
  InFlightRequest,
  inFlightRequestOf,
  trackInFlightRequest,
} from './frameworks/express/in-flight-requests.js';
export {
  type FastifyHost,
  type FastifyLifecycle,
  type FastifyLifecycleOptions,
  type FastifyReplyFacts,
  type FastifyRequestFacts,
  instrumentFastify,
} from './frameworks/fastify/fastify-lifecycle.js';
export { requestBodyBytes } from './http/body-bytes.js';
export { HttpRecorder } from './http/http-recorder.js';
export { normalizeErrorType } from './http/labels.js';
export {
  kResponseObserver,
  observeResponses,
  type ResponseObserver,
} from './http/response-observer.js';
export { httpOptionShape, type ResolvedHttpOptions } from './options/http-options.js';
export {
  checkOptions,
  isBoolean,
  isBuckets,
  isFunction,
  isNonEmptyString,
  isPlainObject,
  nested,
  type OptionCheck,
  type OptionShape,
} from './options/option-rules.js';

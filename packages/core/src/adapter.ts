// What a framework adapter, or a package with metrics of its own (orm-prisma), is built from.
// Applications never need this entry; docs/adding-a-framework.md shows how the parts fit.

export { checkSummaryWindow, METRIC_DEFINITION_SHAPES } from './business/business-metrics.js';
// The user's options, once, to a recorder, an endpoint, the business factories and one failure channel.
export {
  createHttpInstrumentation,
  type HttpInstrumentation,
  type InstrumentationContext,
} from './composition/http-instrumentation.js';
// An adapter's own options, checked in the same pass as core's and with the same messages.
export { optionError } from './errors.js';
export { isMetricsPath } from './exposition/metrics-path.js';
export {
  createFailureReporter,
  type FailureReporter,
  type FailureSink,
} from './failures/failure-reporter.js';
// Families for a package's own metrics, and the business-metric definitions Nest's module declares.
export type { LabelSetCap } from './families/label-set-cap.js';
export type { ConflictContext } from './families/registered-metric.js';
export { type CounterSeries, SeriesCounter } from './families/series-counter.js';
export { type HistogramSeries, SeriesHistogram } from './families/series-histogram.js';
// The lifecycles two packages share: Express (and Nest on Express), Fastify (and Nest on Fastify).
export {
  ExpressLifecycle,
  type ExpressLifecycleOptions,
  markExpressNotFound,
  noteExpressError,
} from './frameworks/express/express-lifecycle.js';
export {
  type FastifyHost,
  type FastifyLifecycle,
  type FastifyLifecycleOptions,
  type FastifyReplyFacts,
  type FastifyRequestFacts,
  instrumentFastify,
} from './frameworks/fastify/fastify-lifecycle.js';
export { fetchRequestBodyBytes, nodeRequestBodyBytes, requestBodyBytes } from './http/body-bytes.js';
export type { HttpRecorder } from './http/http-recorder.js';
// The label values core gives a request no route matched, and one whose client left.
export { CLIENT_CLOSED_REQUEST, normalizeErrorType, UNMATCHED_ROUTE } from './http/labels.js';
// Node's responses, observed: body bytes as written, clients that leave, connections that die.
export {
  clientLeft,
  observeNodeResponses,
  observeResponse,
  observeResponses,
  type ResponseObserver,
} from './http/response-observer.js';
export { httpOptionShape } from './options/http-options.js';
export {
  checkOptions,
  isBoolean,
  isBuckets,
  isFunction,
  isNonEmptyString,
  isPlainObject,
  type OptionCheck,
  type OptionShape,
} from './options/option-rules.js';

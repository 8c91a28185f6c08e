import { Inject } from '@nestjs/common';
import { getMetricToken } from './tokens.js';

/**
 * Injects the business metric named `name`, declared in the module's `metrics` option or by
 * a `make*Provider` helper: `constructor(@InjectMetric('orders_total') orders: Counter)`.
 */
export function InjectMetric(name: string): PropertyDecorator & ParameterDecorator {
  return Inject(getMetricToken(name));
}

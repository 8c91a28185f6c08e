// Must not compile: the error has to name the type the README documents.
import { metricsMiddleware } from '@promenade/express';

metricsMiddleware({ metricPath: '/m' });

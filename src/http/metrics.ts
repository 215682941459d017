/**
 * Prometheus metrics at /metrics (text exposition format), from a registry of the app's own: requests by
 * method, route and status, their latency, and the store's current release (read at each scrape).
 * https://prometheus.io/docs/instrumenting/exposition_formats/
 */
import type { FastifyInstance } from 'fastify';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Store } from '../store/store.js';

/** Latency buckets in seconds: a read answers in milliseconds, a heavy search in seconds. */
const BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export function installMetrics(app: FastifyInstance, store: Store): void {
  const registry = new Registry();
  const labelNames = ['method', 'route', 'status'] as const;
  type Label = (typeof labelNames)[number];
  const requests = new Counter({
    name: 'annuaire_http_requests_total',
    help: 'HTTP requests answered, by method, route and status',
    labelNames,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'annuaire_http_request_duration_seconds',
    help: 'Time to answer an HTTP request, by method, route and status',
    labelNames,
    buckets: BUCKETS,
    registers: [registry],
  });
  new Gauge({
    name: 'annuaire_store_current_release',
    help: 'The latest committed release of the store',
    registers: [registry],
    async collect() {
      this.set(await store.currentRelease());
    },
  });
  // The series of each label set, found once: prom-client hashes a label object on every call.
  const series = new Map<string, { requests: Counter.Internal; duration: Histogram.Internal<Label> }>();
  app.addHook('onResponse', (request, reply, done) => {
    // The route pattern, never the URL itself: ids and search values would make a series per request.
    const route = request.routeOptions.url ?? 'unmatched';
    const key = `${request.method} ${reply.statusCode} ${route}`;
    let s = series.get(key);
    if (!s) {
      const labels = { method: request.method, route, status: String(reply.statusCode) };
      s = { requests: requests.labels(labels), duration: duration.labels(labels) };
      series.set(key, s);
    }
    s.requests.inc();
    s.duration.observe(reply.elapsedTime / 1000);
    done();
  });
  app.get('/metrics', { config: { rateLimit: false } }, async (_request, reply) => {
    const text = await registry.metrics();
    return reply.type(registry.contentType).send(text);
  });
}

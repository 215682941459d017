/**
 * Prometheus metrics at /metrics (text exposition format), from a registry of the app's own: requests by
 * method, route and status, their latency, and the store's current release (read at each scrape).
 * https://prometheus.io/docs/instrumenting/exposition_formats/
 */
import type { FastifyInstance } from 'fastify';
import { Gauge, Registry } from 'prom-client';
import { RequestMetrics } from './request-metrics.js';
import type { Store } from '../store/store.js';

/** Latency buckets in seconds: a read answers in milliseconds, a heavy search in seconds. */
const BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export function installMetrics(app: FastifyInstance, store: Store): void {
  const registry = new Registry();
  new Gauge({
    name: 'annuaire_store_current_release',
    help: 'The latest committed release of the store',
    registers: [registry],
    async collect() {
      this.set(await store.currentRelease());
    },
  });
  const requests = new RequestMetrics(BUCKETS);
  app.addHook('onResponse', (request, reply, done) => {
    // The route pattern, never the URL itself: ids and search values would make a series per request.
    requests.observe(
      request.method,
      request.routeOptions.url ?? 'unmatched',
      reply.statusCode,
      reply.elapsedTime / 1000,
    );
    done();
  });
  app.get('/metrics', { config: { rateLimit: false } }, async (_request, reply) => {
    const text = (await registry.metrics()) + requests.text();
    return reply.type(registry.contentType).send(text);
  });
}

import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RequestMetrics } from './request-metrics.js';

describe('RequestMetrics', () => {
  it('writes a counter and a cumulative histogram per method, route and status', () => {
    const m = new RequestMetrics([0.01, 0.1]);
    m.observe('GET', '/fhir/:type/:id', 200, 0.002);
    m.observe('GET', '/fhir/:type/:id', 200, 0.05);
    m.observe('GET', '/fhir/:type/:id', 200, 0.1);
    m.observe('GET', '/fhir/:type/:id', 200, 3);
    m.observe('GET', 'a"b\\c', 404, 0.001);
    const text = m.text();
    const l = 'method="GET",route="/fhir/:type/:id",status="200"';
    for (const line of [
      `annuaire_http_requests_total{${l}} 4`,
      `annuaire_http_request_duration_seconds_bucket{le="0.01",${l}} 1`,
      // A value equal to a bound counts in that bound's bucket (le: less than or equal).
      `annuaire_http_request_duration_seconds_bucket{le="0.1",${l}} 3`,
      `annuaire_http_request_duration_seconds_bucket{le="+Inf",${l}} 4`,
      `annuaire_http_request_duration_seconds_sum{${l}} 3.152`,
      `annuaire_http_request_duration_seconds_count{${l}} 4`,
      'annuaire_http_requests_total{method="GET",route="a\\"b\\\\c",status="404"} 1',
      '# TYPE annuaire_http_request_duration_seconds histogram',
    ]) {
      assert.ok(text.split('\n').includes(line), `${line} in\n${text}`);
    }
  });
});

/**
 * What operators rely on, over a real loopback port: rate limits per IP and per key (429 throttled with
 * Retry-After), Prometheus /metrics, /health and its 503, a 500 without a stack, and JSON logs that never
 * carry an API key.
 */
import * as assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { AppOptions } from '../src/http/app.js';
import { createKey, serve, type Served } from './support/http.js';
import { practitioner } from './support/resources.js';
import { sqliteStores, type TestStore } from './support/stores.js';

describe('HTTP operations', () => {
  let t: TestStore;
  const servers: Served[] = [];
  beforeEach(async () => {
    t = await sqliteStores();
    const w = await t.store.beginRelease({ source: 'test' });
    await w.put([practitioner('10000000008', 'DUPONT', 'JEAN')]);
    await w.commit();
  });
  afterEach(async () => {
    for (const s of servers.splice(0)) {
      await s.close();
    }
    await t.dispose();
  });
  const start = async (extra: Partial<AppOptions> = {}): Promise<Served> => {
    const s = await serve(t.store, extra);
    servers.push(s);
    return s;
  };

  it('limits requests per IP and per key, answering 429 throttled with Retry-After', async () => {
    // A long window: the limits are reached whatever the machine's speed.
    const s = await start({ rateLimits: { perIp: 3, perKey: 5, windowMs: 60_000 } });
    const statuses = async (n: number, headers: Record<string, string> = {}): Promise<number[]> => {
      const out: number[] = [];
      for (let i = 0; i < n; i++) {
        const r = await fetch(`${s.origin}/fhir/Practitioner`, { headers });
        await r.arrayBuffer();
        out.push(r.status);
      }
      return out;
    };
    assert.deepEqual(await statuses(3), [200, 200, 200]);
    const over = await fetch(`${s.origin}/fhir/Practitioner/810000000008`);
    assert.equal(over.status, 429);
    assert.ok(Number(over.headers.get('retry-after')) > 0, String(over.headers.get('retry-after')));
    const outcome = (await over.json()) as { resourceType: string; issue: { code: string }[] };
    assert.equal(outcome.resourceType, 'OperationOutcome');
    assert.equal(outcome.issue[0]?.code, 'throttled');
    assert.match(over.headers.get('content-type') ?? '', /application\/fhir\+json/);

    // A key has its own allowance; an unknown key counts against its IP (and is refused anyway).
    const key = await createKey(t.store, ['public']);
    assert.deepEqual(await statuses(6, { 'ESANTE-API-KEY': key.secret }), [200, 200, 200, 200, 200, 429]);
    assert.deepEqual(await statuses(1, { 'ESANTE-API-KEY': 'ann_unknown' }), [429]);
    // A key with a limit of its own.
    const generous = await createKey(t.store, ['public'], 8);
    const many = await statuses(9, { authorization: `Bearer ${generous.secret}` });
    assert.deepEqual(many, [...Array<number>(8).fill(200), 429]);
    // Health and metrics are not limited.
    assert.equal((await fetch(`${s.origin}/health`)).status, 200);
    assert.equal((await fetch(`${s.origin}/metrics`)).status, 200);
  });

  it('serves Prometheus metrics by route and status, and the current release', async () => {
    const s = await start();
    await (await fetch(`${s.origin}/fhir/Practitioner/810000000008`)).text();
    await (await fetch(`${s.origin}/fhir/Practitioner/nope`)).text();
    await (await fetch(`${s.origin}/nowhere`)).text();
    const r = await fetch(`${s.origin}/metrics`);
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type') ?? '', /^text\/plain/);
    const text = await r.text();
    assert.match(
      text,
      /^annuaire_http_requests_total\{method="GET",route="\/fhir\/:type\/:id",status="200"\} 1$/m,
    );
    assert.match(
      text,
      /^annuaire_http_requests_total\{method="GET",route="\/fhir\/:type\/:id",status="404"\} 1$/m,
    );
    assert.match(text, /^annuaire_http_requests_total\{method="GET",route="unmatched",status="404"\} 1$/m);
    assert.match(
      text,
      /^annuaire_http_request_duration_seconds_bucket\{le="\+Inf",method="GET",route="\/fhir\/:type\/:id",status="200"\} 1$/m,
    );
    assert.match(text, /^annuaire_store_current_release 1$/m);
    // No URL of its own in the labels: ids never make series.
    assert.ok(!text.includes('810000000008'));
    // Two apps in one process keep their own figures (no global registry).
    const other = await start();
    const fresh = await (await fetch(`${other.origin}/metrics`)).text();
    assert.ok(!/annuaire_http_requests_total\{[^}]*status="200"\}/.test(fresh), fresh);
  });

  it('answers /health, and 503 when the store fails; a failing request is a 500 without a stack', async () => {
    // A store of its own to fail (another "process" on the same data).
    const failing = await t.reopen();
    const s = await serve(failing);
    servers.push(s);
    const ok = await fetch(`${s.origin}/health`);
    assert.equal(ok.status, 200);
    assert.deepEqual(await ok.json(), { status: 'ok', release: 1 });
    await failing.close();
    const down = await fetch(`${s.origin}/health`);
    assert.equal(down.status, 503);
    assert.equal(((await down.json()) as { status: string }).status, 'unavailable');
    const failed = await fetch(`${s.origin}/fhir/Practitioner/810000000008`);
    assert.equal(failed.status, 500);
    const text = await failed.text();
    assert.match(text, /"resourceType":"OperationOutcome"/);
    assert.match(text, /"code":"exception"/);
    assert.ok(!/\bat .*\.js|node:internal|Error:/.test(text), text);
  });

  it('writes JSON log lines that never carry an API key', async () => {
    const lines: string[] = [];
    const s = await start({ logger: { stream: { write: (line: string) => void lines.push(line) } } });
    const key = await createKey(t.store, ['restricted']);
    await (
      await fetch(`${s.origin}/fhir/Practitioner`, { headers: { 'ESANTE-API-KEY': key.secret } })
    ).text();
    await (
      await fetch(`${s.origin}/fhir/Practitioner`, { headers: { authorization: `Bearer ${key.secret}` } })
    ).text();
    await (
      await fetch(`${s.origin}/fhir/Practitioner`, { headers: { authorization: 'Bearer ann_wrong-secret' } })
    ).text();
    assert.ok(lines.length >= 6, lines.join(''));
    for (const line of lines) {
      const entry = JSON.parse(line) as { level: number; msg: string };
      assert.equal(typeof entry.level, 'number');
      assert.ok(!line.includes(key.secret) && !line.includes('ann_wrong-secret'), line);
    }
    assert.ok(lines.some((l) => /"statusCode":401/.test(l)));
    // The key's id (never its secret) is logged with its requests.
    assert.equal(lines.filter((l) => l.includes(`"keyId":"${key.id}"`)).length, 2);
  });
});

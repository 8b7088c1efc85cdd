'use strict';
const { test, beforeEach, afterEach, mock } = require('node:test');
const assert = require('node:assert/strict');
const { createHash } = require('node:crypto');
const { mockClient } = require('aws-sdk-client-mock');
const { S3Client, PutObjectCommand } = require('@aws-sdk/client-s3');
const { DynamoDBDocumentClient, GetCommand } = require('@aws-sdk/lib-dynamodb');
const { SNSClient, PublishCommand } = require('@aws-sdk/client-sns');

process.env.TABLE_NAME = 'sds-table';
process.env.BUCKET_NAME = 'sds-bucket';
process.env.TOPIC_ARN = 'arn:aws:sns:eu-west-1:123456789012:sds-alerts';
process.env.AWS_LAMBDA_FUNCTION_NAME = 'sds-request-handler-fn';
process.env.AWS_REGION = 'eu-west-1';

const s3 = mockClient(S3Client);
const ddb = mockClient(DynamoDBDocumentClient);
const sns = mockClient(SNSClient);
const { handler } = require('../index.js');

const SECRET = 'sk_live_SUPER-SECRET-9f8e7d6c5b4a';
const REQ = 'api-req-0001';
const CTX = { awsRequestId: 'lambda-req-0001' };
const KEY_RE = /^processed\/(\d{4})\/(\d{2})\/(\d{2})\/([^/]+)\/([^/]+)\.json$/;

const event = (body, extra = {}) => ({
  body: typeof body === 'string' || body == null ? body : JSON.stringify(body),
  isBase64Encoded: false,
  requestContext: { requestId: REQ },
  ...extra,
});

let logs;
beforeEach(() => {
  s3.reset();
  ddb.reset();
  sns.reset();
  s3.on(PutObjectCommand).resolves({ ETag: '"etag"' });
  ddb.on(GetCommand).resolves({});
  sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
  logs = [];
  const capture = (...args) => logs.push(args.map(String).join(' '));
  mock.method(console, 'log', capture);
  mock.method(console, 'error', capture);
  mock.method(console, 'warn', capture);
  mock.method(console, 'info', capture);
});
afterEach(() => mock.restoreAll());

const parseBody = (res) => JSON.parse(res.body);
const totalCalls = () => s3.calls().length + ddb.calls().length + sns.calls().length;
const logLine = () => {
  assert.equal(logs.length, 1, `expected one log line, got ${JSON.stringify(logs)}`);
  return JSON.parse(logs[0]);
};
const assertJsonResponse = (res, status) => {
  assert.equal(res.statusCode, status);
  assert.equal(res.headers['Content-Type'], 'application/json');
  return parseBody(res);
};

test('happy path: reads item, stores enriched object with checksum, returns 200', async () => {
  const item = { id: 'order-42', customer: 'acme', tier: 3 };
  ddb.on(GetCommand).resolves({ Item: item });

  const res = await handler(event({ id: 'order-42', amount: 12.5, note: SECRET }), CTX);
  const out = assertJsonResponse(res, 200);
  assert.deepEqual(Object.keys(out).sort(), ['enriched', 'id', 'processedAt', 's3Key']);
  assert.equal(out.id, 'order-42');
  assert.equal(out.enriched, true);
  assert.ok(!Number.isNaN(Date.parse(out.processedAt)));

  const gets = ddb.commandCalls(GetCommand);
  assert.equal(gets.length, 1);
  assert.deepEqual(gets[0].args[0].input, { TableName: 'sds-table', Key: { id: 'order-42' } });

  const puts = s3.commandCalls(PutObjectCommand);
  assert.equal(puts.length, 1);
  const input = puts[0].args[0].input;
  assert.equal(input.Bucket, 'sds-bucket');
  assert.equal(input.Key, out.s3Key);
  const d = out.processedAt.slice(0, 10).split('-');
  assert.equal(input.Key, `processed/${d[0]}/${d[1]}/${d[2]}/order-42/${REQ}.json`);
  assert.match(input.Key, KEY_RE);
  assert.equal(input.ContentType, 'application/json');
  assert.equal(input.ChecksumAlgorithm, 'SHA256');
  const bytes = Buffer.from(input.Body);
  assert.equal(input.ChecksumSHA256, createHash('sha256').update(bytes).digest('base64'));

  const stored = JSON.parse(bytes.toString('utf8'));
  assert.deepEqual(stored, {
    id: 'order-42',
    payload: { amount: 12.5, note: SECRET },
    item,
    processedAt: out.processedAt,
    requestId: REQ,
  });
  assert.equal(sns.calls().length, 0);

  const line = logLine();
  assert.equal(line.level, 'info');
  assert.equal(line.outcome, 'ok');
  assert.equal(line.statusCode, 200);
  assert.equal(line.requestId, REQ);
  assert.equal(typeof line.durationMs, 'number');
  assert.ok(!logs.join('\n').includes(SECRET));
});

test('S3 key uses the UTC date of processedAt', async () => {
  // 23:30 on 31 Dec in UTC-05:00 is already 1 Jan UTC.
  mock.timers.enable({ apis: ['Date'], now: Date.parse('2024-12-31T23:30:00-05:00') });
  try {
    const out = parseBody(await handler(event({ id: 'a.b:c-d_e' }), CTX));
    assert.equal(out.processedAt, '2025-01-01T04:30:00.000Z');
    assert.equal(out.s3Key, `processed/2025/01/01/a.b:c-d_e/${REQ}.json`);
  } finally {
    mock.timers.reset();
  }
});

test('DynamoDB miss: enriched false and no item in stored body', async () => {
  const res = await handler(event({ id: 'missing-1', qty: 2 }), CTX);
  const out = assertJsonResponse(res, 200);
  assert.equal(out.enriched, false);
  const input = s3.commandCalls(PutObjectCommand)[0].args[0].input;
  const stored = JSON.parse(Buffer.from(input.Body).toString('utf8'));
  assert.equal('item' in stored, false);
  assert.deepEqual(stored.payload, { qty: 2 });
  assert.equal(stored.id, 'missing-1');
});

test('requestId falls back to the Lambda context awsRequestId', async () => {
  const res = await handler(event({ id: 'x' }, { requestContext: undefined }), CTX);
  const out = assertJsonResponse(res, 200);
  assert.ok(out.s3Key.endsWith(`/x/${CTX.awsRequestId}.json`));
  assert.equal(logLine().requestId, CTX.awsRequestId);
});

test('DynamoDB sets and binary values are stored as JSON arrays/base64', async () => {
  ddb.on(GetCommand).resolves({ Item: { id: 's', tags: new Set(['a', 'b']), raw: new Uint8Array([1, 2, 3]) } });
  await handler(event({ id: 's' }), CTX);
  const input = s3.commandCalls(PutObjectCommand)[0].args[0].input;
  const stored = JSON.parse(Buffer.from(input.Body).toString('utf8'));
  assert.deepEqual(stored.item, { id: 's', tags: ['a', 'b'], raw: 'AQID' });
});

test('valid base64-encoded body succeeds', async () => {
  const body = Buffer.from(JSON.stringify({ id: 'b64-ok', v: 1 })).toString('base64');
  const res = await handler(event(body, { isBase64Encoded: true }), CTX);
  const out = assertJsonResponse(res, 200);
  assert.equal(out.id, 'b64-ok');
  const stored = JSON.parse(Buffer.from(s3.commandCalls(PutObjectCommand)[0].args[0].input.Body).toString());
  assert.deepEqual(stored.payload, { v: 1 });
});

const badCases = [
  ['no body', event(undefined), /body is required/],
  ['null body', event(null), /body is required/],
  ['empty body', event(''), /body is required/],
  ['invalid JSON', event('{"id": "a",'), /valid JSON/],
  ['JSON array', event('[{"id":"a"}]'), /JSON object/],
  ['JSON string', event('"hello"'), /JSON object/],
  ['JSON number', event('42'), /JSON object/],
  ['JSON null', event('null'), /JSON object/],
  ['missing id', event({ note: SECRET }), /id is required/],
  ['empty id', event({ id: '' }), /id must be a string of 1-256/],
  ['id too long (257)', event({ id: 'a'.repeat(257) }), /id must be a string of 1-256/],
  ['id with bad chars', event({ id: 'a/b' }), /id must be a string of 1-256/],
  ['id with unicode', event({ id: 'caf\u00e9' }), /id must be a string of 1-256/],
  ['id not a string', event({ id: 123 }), /id must be a string of 1-256/],
  ['id "."', event({ id: '.' }), /id must be a string of 1-256 .*not "\." or "\.\."/],
  ['id ".."', event({ id: '..' }), /id must be a string of 1-256 .*not "\." or "\.\."/],
  ['base64 body that is not JSON',
    event(Buffer.from('not json at all').toString('base64'), { isBase64Encoded: true }), /valid JSON/],
  ['no event at all', undefined, /body is required/],
];

for (const [name, ev, msg] of badCases) {
  test(`400 for ${name}, no AWS calls`, async () => {
    const res = await handler(ev, CTX);
    const out = assertJsonResponse(res, 400);
    assert.deepEqual(Object.keys(out).sort(), ['error', 'requestId']);
    assert.match(out.error, msg);
    assert.equal(out.requestId, ev ? REQ : CTX.awsRequestId);
    assert.equal(totalCalls(), 0);
    const line = logLine();
    assert.equal(line.outcome, 'bad_request');
    assert.equal(line.statusCode, 400);
    assert.ok(!logs.join('\n').includes(SECRET));
  });
}

test('ids that merely contain dots are accepted', async () => {
  for (const id of ['...', '.a', 'a..b', '..x']) {
    const res = await handler(event({ id }), CTX);
    assert.equal(res.statusCode, 200, id);
    assert.ok(parseBody(res).s3Key.includes(`/${id}/`));
  }
});

test('id of exactly 256 allowed characters is accepted', async () => {
  const id = 'A-z0.9_:'.repeat(32);
  assert.equal(id.length, 256);
  const res = await handler(event({ id }), CTX);
  assert.equal(res.statusCode, 200);
});

function assertAlert(errorName) {
  const pubs = sns.commandCalls(PublishCommand);
  assert.equal(pubs.length, 1);
  const input = pubs[0].args[0].input;
  assert.equal(input.TopicArn, process.env.TOPIC_ARN);
  assert.ok(input.Subject.length > 0 && input.Subject.length <= 100);
  const msg = JSON.parse(input.Message);
  assert.equal(msg.functionName, 'sds-request-handler-fn');
  assert.equal(msg.requestId, REQ);
  assert.equal(msg.error, errorName);
  assert.ok(!input.Message.includes(SECRET));
  assert.ok(!input.Message.includes('secret-id-value'));
  assert.ok(!input.Subject.includes(SECRET));
}

function assertInternalError(res) {
  const out = assertJsonResponse(res, 500);
  assert.deepEqual(out, { error: 'internal error', requestId: REQ });
}

const boom = (name, message) => Object.assign(new Error(message), { name });

test('S3 failure: alert published without payload, 500 without detail', async () => {
  s3.on(PutObjectCommand).rejects(boom('AccessDenied', 'Access Denied'));
  const res = await handler(event({ id: 'secret-id-value', token: SECRET }), CTX);
  assertInternalError(res);
  assert.ok(!res.body.includes('AccessDenied'));
  assertAlert('AccessDenied');
  const line = logLine();
  assert.equal(line.level, 'error');
  assert.equal(line.outcome, 'error');
  assert.equal(line.statusCode, 500);
  assert.equal(line.error, 'AccessDenied');
  assert.equal(line.message, 'Access Denied');
  assert.ok(!logs.join('\n').includes(SECRET));
});

test('DynamoDB failure: alert published, nothing written to S3, 500', async () => {
  ddb.on(GetCommand).rejects(boom('ResourceNotFoundException', 'Requested resource not found'));
  const res = await handler(event({ id: 'secret-id-value', token: SECRET }), CTX);
  assertInternalError(res);
  assert.equal(s3.calls().length, 0);
  assertAlert('ResourceNotFoundException');
  assert.equal(logLine().error, 'ResourceNotFoundException');
  assert.ok(!logs.join('\n').includes(SECRET));
});

test('SNS failure during alert: still 500, original error logged, publish error logged', async () => {
  s3.on(PutObjectCommand).rejects(boom('SlowDown', 'Please reduce your request rate.'));
  sns.on(PublishCommand).rejects(boom('AuthorizationErrorException', 'not authorized'));
  const res = await handler(event({ id: 'secret-id-value', token: SECRET }), CTX);
  assertInternalError(res);
  assert.equal(sns.commandCalls(PublishCommand).length, 1);
  const line = logLine();
  assert.equal(line.error, 'SlowDown');
  assert.equal(line.alertError, 'AuthorizationErrorException');
  assert.ok(!logs.join('\n').includes(SECRET));
});

test('no payload value appears in any log line across outcomes', async () => {
  ddb.on(GetCommand).resolves({ Item: { id: 'p', secret: SECRET } });
  await handler(event({ id: 'p', password: SECRET, nested: { k: SECRET } }), CTX);
  await handler(event(`{"id":"p","password":"${SECRET}"`), CTX);
  s3.on(PutObjectCommand).rejects(boom('InternalError', 'We encountered an internal error.'));
  await handler(event({ id: 'p', password: SECRET }), CTX);
  assert.equal(logs.length, 3);
  for (const l of logs) {
    JSON.parse(l);
    assert.ok(!l.includes(SECRET), l);
  }
  for (const c of sns.commandCalls(PublishCommand)) {
    assert.ok(!JSON.stringify(c.args[0].input).includes(SECRET));
  }
});

// ---- CORS (CORS_ALLOW_ORIGINS is read per request) ----

const APP = 'https://app.example.com';
const ADMIN = 'https://admin.example.com';
const JSON_CT = { 'Content-Type': 'application/json' };
const PREFLIGHT = {
  'Access-Control-Allow-Methods': 'POST, OPTIONS',
  'Access-Control-Allow-Headers': 'Content-Type, X-Api-Key',
  'Access-Control-Max-Age': '600',
};
const allowHeaders = (origin) => ({ 'Access-Control-Allow-Origin': origin, Vary: 'Origin' });
const withCors = (value, fn) => async () => {
  process.env.CORS_ALLOW_ORIGINS = value;
  try {
    await fn();
  } finally {
    delete process.env.CORS_ALLOW_ORIGINS;
  }
};
const options = (headers) => ({ httpMethod: 'OPTIONS', headers, body: null, requestContext: { requestId: REQ } });
const post = (body, headers) => event(body, { httpMethod: 'POST', headers });

async function assertPreflight(ev, headers) {
  const res = await handler(ev, CTX);
  assert.deepEqual(res, { statusCode: 204, headers, body: '' });
  assert.equal(totalCalls(), 0);
  const line = logLine();
  assert.equal(line.level, 'info');
  assert.equal(line.outcome, 'preflight');
  assert.equal(line.statusCode, 204);
  assert.equal(line.requestId, REQ);
}

test('preflight from an allowed origin: 204, exact CORS headers, no AWS calls', withCors(`${APP},${ADMIN}`, () =>
  assertPreflight(options({ Origin: ADMIN, 'Access-Control-Request-Method': 'POST' }),
    { ...allowHeaders(ADMIN), ...PREFLIGHT })));

test('preflight from a disallowed origin: 204 without CORS headers, no AWS calls', withCors(APP, () =>
  assertPreflight(options({ Origin: 'https://evil.example.com' }), {})));

test('preflight without Origin or with null headers: 204 without CORS headers', withCors(APP, async () => {
  await assertPreflight(options({ 'Content-Type': 'application/json' }), {});
  logs.length = 0;
  await assertPreflight(options(null), {});
}));

test('preflight when CORS is off: 204 without CORS headers', async () => {
  await assertPreflight(options({ Origin: APP }), {});
});

test('Origin lookup is case-insensitive (lowercase and uppercase header names)', withCors(APP, async () => {
  for (const name of ['origin', 'ORIGIN']) {
    const res = await handler(post({ id: 'o1' }, { [name]: APP }), CTX);
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.headers, { ...JSON_CT, ...allowHeaders(APP) });
  }
}));

test('preflight with a lowercase origin header', withCors(APP, () =>
  assertPreflight(options({ origin: APP }), { ...allowHeaders(APP), ...PREFLIGHT })));

test('"*" allows any origin and answers with "*"', withCors('*', async () => {
  const res = await handler(post({ id: 'star' }, { Origin: 'https://anything.example.org' }), CTX);
  assert.deepEqual(res.headers, { ...JSON_CT, ...allowHeaders('*') });
}));

test('"*" preflight: allow-origin "*" plus the preflight headers', withCors('*', () =>
  assertPreflight(options({ origin: 'http://localhost:3000' }), { ...allowHeaders('*'), ...PREFLIGHT })));

test('"*" still sends no CORS headers when the request has no Origin', withCors('*', async () => {
  const res = await handler(post({ id: 'star' }, {}), CTX);
  assert.deepEqual(res.headers, JSON_CT);
}));

test('allowed origin: CORS headers on 200, 400 and 500 responses', withCors(` ${APP} , ${ADMIN} `, async () => {
  const ok = await handler(post({ id: 'c1' }, { Origin: APP }), CTX);
  assert.equal(ok.statusCode, 200);
  assert.deepEqual(ok.headers, { ...JSON_CT, ...allowHeaders(APP) });

  const bad = await handler(post({ id: '..' }, { Origin: APP }), CTX);
  assert.equal(bad.statusCode, 400);
  assert.deepEqual(bad.headers, { ...JSON_CT, ...allowHeaders(APP) });

  s3.on(PutObjectCommand).rejects(boom('AccessDenied', 'Access Denied'));
  const err = await handler(post({ id: 'c1' }, { origin: ADMIN }), CTX);
  assertInternalError(err);
  assert.deepEqual(err.headers, { ...JSON_CT, ...allowHeaders(ADMIN) });
}));

test('disallowed origins get no CORS headers (exact match only)', withCors(APP, async () => {
  for (const origin of ['https://evil.example.com', `${APP}.evil.com`, `${APP}/`, 'https://APP.example.com',
    'http://app.example.com', '']) {
    const res = await handler(post({ id: 'd1' }, { Origin: origin }), CTX);
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.headers, JSON_CT, origin);
  }
  const bad = await handler(post('nope', { Origin: 'https://evil.example.com' }), CTX);
  assert.deepEqual(bad.headers, JSON_CT);
  const noHeaders = await handler(post({ id: 'd2' }, null), CTX);
  assert.deepEqual(noHeaders.headers, JSON_CT);
}));

for (const [name, value] of [['unset', undefined], ['empty', ''], ['blank', ' , ']]) {
  test(`CORS off (${name}): responses are unchanged, even with an Origin header`, async () => {
    if (value !== undefined) process.env.CORS_ALLOW_ORIGINS = value;
    try {
      const ok = await handler(post({ id: 'off' }, { Origin: APP }), CTX);
      assert.equal(ok.statusCode, 200);
      assert.deepEqual(ok.headers, JSON_CT);
      const bad = await handler(post({ id: '.' }, { Origin: APP }), CTX);
      assert.equal(bad.statusCode, 400);
      assert.deepEqual(bad.headers, JSON_CT);
      s3.on(PutObjectCommand).rejects(boom('SlowDown', 'slow'));
      const err = await handler(post({ id: 'off' }, { Origin: APP }), CTX);
      assertInternalError(err);
      assert.deepEqual(err.headers, JSON_CT);
    } finally {
      delete process.env.CORS_ALLOW_ORIGINS;
    }
  });
}

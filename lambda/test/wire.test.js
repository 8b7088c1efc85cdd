'use strict';
// Runs the unmocked SDK clients against a local HTTP server on 127.0.0.1 to
// check what actually goes over the wire (checksum header, GetItem target).
const { test, before, after, mock } = require('node:test');
const assert = require('node:assert/strict');
const http = require('node:http');
const { createHash } = require('node:crypto');

const requests = [];
const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    requests.push({ method: req.method, url: req.url, headers: req.headers, body: Buffer.concat(chunks) });
    if (req.headers['x-amz-target']) {
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' });
      res.end('{}'); // GetItem miss
    } else {
      res.writeHead(200, { etag: '"e"' });
      res.end();
    }
  });
});

let handler;
before(async () => {
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${server.address().port}`;
  Object.assign(process.env, {
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'AKIDTEST',
    AWS_SECRET_ACCESS_KEY: 'test-secret',
    AWS_ENDPOINT_URL_S3: url,
    AWS_ENDPOINT_URL_DYNAMODB: url,
    AWS_ENDPOINT_URL_SNS: url,
    TABLE_NAME: 'wire-table',
    BUCKET_NAME: 'wire-bucket',
    TOPIC_ARN: 'arn:aws:sns:us-east-1:123456789012:t',
  });
  ({ handler } = require('../index.js'));
});
after(() => new Promise((r) => server.close(r)));

test('PutObject carries the precomputed x-amz-checksum-sha256 of the exact body', async (t) => {
  t.mock.method(console, 'log', () => {});
  const res = await handler({ body: '{"id":"w-1","n":1}', requestContext: { requestId: 'wire-req' } }, {});
  assert.equal(res.statusCode, 200, res.body);

  const get = requests.find((r) => r.headers['x-amz-target']);
  assert.equal(get.headers['x-amz-target'], 'DynamoDB_20120810.GetItem');
  assert.deepEqual(JSON.parse(get.body), { TableName: 'wire-table', Key: { id: { S: 'w-1' } } });

  const put = requests.find((r) => r.method === 'PUT');
  const { s3Key } = JSON.parse(res.body);
  assert.equal(put.url.split('?')[0], `/wire-bucket/${s3Key}`);
  assert.equal(put.headers['content-type'], 'application/json');
  assert.equal(put.headers['x-amz-checksum-sha256'], createHash('sha256').update(put.body).digest('base64'));
  assert.equal(put.headers['x-amz-checksum-crc32'], undefined);
  assert.equal(JSON.parse(put.body).id, 'w-1');
  assert.equal(put.headers['x-amz-trailer'], undefined);
  assert.equal(requests.length, 2);
});

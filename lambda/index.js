'use strict';
// Inline Code.ZipFile: keep this file <= 4096 bytes.
const { createHash, randomUUID } = require('node:crypto');
const { S3Client, PutObjectCommand } = require('@aws-sdk/client-s3');
const { DynamoDBClient } = require('@aws-sdk/client-dynamodb');
const { DynamoDBDocumentClient, GetCommand } = require('@aws-sdk/lib-dynamodb');
const { SNSClient, PublishCommand } = require('@aws-sdk/client-sns');

const { env } = process;
const s3 = new S3Client({});
const ddb = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const sns = new SNSClient({});
const ID = /^(?!\.\.?$)[A-Za-z0-9._:-]{1,256}$/;

// DynamoDB sets/binary -> JSON arrays/base64.
const toJson = (k, v) =>
  v instanceof Set ? [...v] : ArrayBuffer.isView(v) ? Buffer.from(v).toString('base64') : v;

function parse(event) {
  let raw = event?.body;
  if (typeof raw !== 'string' || !raw) return 'request body is required';
  if (event.isBase64Encoded) raw = Buffer.from(raw, 'base64').toString();
  let data;
  try { data = JSON.parse(raw); } catch { return 'request body must be valid JSON'; }
  if (!(data instanceof Object) || Array.isArray(data)) return 'request body must be a JSON object';
  if (data.id === undefined) return 'id is required';
  if (typeof data.id !== 'string' || !ID.test(data.id)) {
    return 'id must be a string of 1-256 characters from [A-Za-z0-9._:-], not "." or ".."';
  }
  return data;
}

exports.handler = async (event, context) => {
  const start = Date.now();
  const requestId = event?.requestContext?.requestId || context?.awsRequestId || randomUUID();
  const preflight = event?.httpMethod === 'OPTIONS';
  // CORS_ALLOW_ORIGINS: comma-separated exact origins or '*'; unset = off.
  const origin = Object.entries(event?.headers || {}).find(([k]) => /^origin$/i.test(k))?.[1];
  const list = (env.CORS_ALLOW_ORIGINS || '').split(/[\s,]+/);
  const allowed = origin && list.find((o) => o === '*' || o === origin);
  const headers = allowed ? {
    'Access-Control-Allow-Origin': allowed,
    Vary: 'Origin',
    ...(preflight && {
      'Access-Control-Allow-Methods': 'POST, OPTIONS',
      'Access-Control-Allow-Headers': 'Content-Type, X-Api-Key',
      'Access-Control-Max-Age': '600',
    }),
  } : {};
  const done = (level, outcome, statusCode, body, extra) => {
    console.log(JSON.stringify({ level, requestId, outcome, statusCode, durationMs: Date.now() - start, ...extra }));
    return body
      ? { statusCode, headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body) }
      : { statusCode, headers, body: '' };
  };

  if (preflight) return done('info', 'preflight', 204);

  const data = parse(event);
  if (typeof data === 'string') return done('warn', 'bad_request', 400, { error: data, requestId }, { message: data });

  try {
    const { id, ...payload } = data;
    const { Item: item } = await ddb.send(new GetCommand({ TableName: env.TABLE_NAME, Key: { id } }));
    const processedAt = new Date().toISOString();
    const s3Key = `processed/${processedAt.slice(0, 10).replace(/-/g, '/')}/${id}/${requestId}.json`;
    const body = Buffer.from(JSON.stringify({ id, payload, ...(item && { item }), processedAt, requestId }, toJson));
    await s3.send(new PutObjectCommand({
      Bucket: env.BUCKET_NAME,
      Key: s3Key, Body: body,
      ContentType: 'application/json',
      ChecksumAlgorithm: 'SHA256',
      ChecksumSHA256: createHash('sha256').update(body).digest('base64'),
    }));
    return done('info', 'ok', 200, { id, s3Key, processedAt, enriched: !!item });
  } catch (err) {
    // Alert without payload or id; a failed publish must not mask the error.
    const alertError = await sns.send(new PublishCommand({
      TopicArn: env.TOPIC_ARN,
      Subject: 'sds-request-handler error',
      Message: JSON.stringify({ functionName: env.AWS_LAMBDA_FUNCTION_NAME, requestId, error: err?.name }),
    })).then(() => undefined, (e) => e?.name);
    return done('error', 'error', 500, { error: 'internal error', requestId }, {
      error: err?.name, message: err?.message, alertError,
    });
  }
};

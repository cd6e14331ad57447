// matrix-js-sdk against Tern's Matrix endpoints on the port the relay shares with HTTPS (tls+https://), over
// HTTP/1.1 (Node's own fetch, which speaks only HTTP/1.1) and over HTTP/2 (the SDK's fetchFn option given a
// fetch over node:http2). Prints one JSON object with what the SDK saw each way. Run by the launcher's OnePortIT:
//   NODE_EXTRA_CA_CERTS=cert.pem node one-port-client.mjs https://127.0.0.1:PORT TOKEN cert.pem
// As in matrix-client.mjs, /_matrix/client/versions (the homeserver's, not Tern's) is answered here, and
// window/RTCPeerConnection are declared so the SDK polls TURN (no call is placed).
import * as sdk from "matrix-js-sdk";
import { logger } from "matrix-js-sdk/lib/logger.js";
import http2 from "node:http2";
import fs from "node:fs";

logger.setLevel("silent");
const [base, token, caFile] = process.argv.slice(2);
if (!base || !token || !caFile) {
  console.error("usage: node one-port-client.mjs https://127.0.0.1:PORT TOKEN CA_PEM");
  process.exit(2);
}
const ca = fs.readFileSync(caFile);
const seen = { h2Responses: 0 };

// A fetch over HTTP/2, enough for the SDK's GETs: one session per request, status, headers and body back.
function http2Fetch(resource, options = {}) {
  const url = new URL(String(resource instanceof Request ? resource.url : resource));
  return new Promise((resolve, reject) => {
    const session = http2.connect(url.origin, { ca });
    session.on("error", reject);
    const headers = { ":method": options.method || "GET", ":path": url.pathname + url.search };
    new Headers(options.headers || {}).forEach((value, name) => { headers[name] = value; });
    const request = session.request(headers);
    const chunks = [];
    let status = 0;
    const responseHeaders = new Headers();
    request.on("response", (h) => {
      status = h[":status"];
      for (const [name, value] of Object.entries(h)) {
        if (!name.startsWith(":")) responseHeaders.set(name, String(value));
      }
    });
    request.on("data", (chunk) => chunks.push(chunk));
    request.on("end", () => {
      seen.h2Responses++;
      session.close();
      resolve(new Response(Buffer.concat(chunks), { status, headers: responseHeaders }));
    });
    request.on("error", reject);
    request.end();
  });
}

globalThis.window = globalThis;
globalThis.document = {};
globalThis.RTCPeerConnection = class {};
globalThis.RTCSessionDescription = class {};
globalThis.RTCIceCandidate = class {};

async function through(fetchFn) {
  sdk.AutoDiscovery.setFetchFn((resource, options) => {
    if (String(resource).endsWith("/_matrix/client/versions")) {
      return Promise.resolve(new Response(JSON.stringify({ versions: ["v1.9", "v1.11", "v1.12"] }),
        { status: 200, headers: { "Content-Type": "application/json" } }));
    }
    return fetchFn(resource, options);
  });
  const discovered = await sdk.AutoDiscovery.findClientConfig(new URL(base).host);
  const client = sdk.createClient({ baseUrl: base, accessToken: token, userId: "@alice:localhost", fetchFn });
  const good = await client.checkTurnServers();
  const servers = client.getTurnServers();
  client.stopClient();
  return {
    discovery: { state: discovered["m.homeserver"]?.state ?? null, error: discovered["m.homeserver"]?.error ?? null,
      baseUrl: discovered["m.homeserver"]?.base_url ?? null },
    good: good === true,
    uris: servers.flatMap((s) => s.urls),
    hasCredentials: servers.length > 0 && Boolean(servers[0].username) && Boolean(servers[0].credential),
  };
}

const result = {};
result.http1 = await through((resource, options) => globalThis.fetch(resource, options));
result.http2 = await through(http2Fetch);
result.h2Responses = seen.h2Responses;
process.stdout.write(JSON.stringify(result) + "\n");

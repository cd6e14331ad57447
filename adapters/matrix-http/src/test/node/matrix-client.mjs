// Drives Tern's Matrix endpoints with the real matrix-js-sdk, as Element Web does, and prints one JSON
// object with what the SDK saw. Run by MatrixJsSdkIT: node matrix-client.mjs http://127.0.0.1:PORT
//
// Only two things here are not the SDK's own behaviour, and both stand in for what is not Tern's job:
// - AutoDiscovery checks the homeserver by fetching {base_url}/_matrix/client/versions; Tern does not serve
//   /versions (the homeserver does), so that one URL is answered here and every other fetch goes to the network.
// - the SDK only polls TURN when WebRTC exists; Node has none, so window/document/RTCPeerConnection are
//   declared (never called: no call is placed).
import * as sdk from "matrix-js-sdk";
import { logger } from "matrix-js-sdk/lib/logger.js";

logger.setLevel("silent");
const base = process.argv[2];
if (!base) {
  console.error("usage: node matrix-client.mjs http://127.0.0.1:PORT");
  process.exit(2);
}

const realFetch = globalThis.fetch;
sdk.AutoDiscovery.setFetchFn((resource, options) => {
  if (String(resource).endsWith("/_matrix/client/versions")) {
    return Promise.resolve(new Response(JSON.stringify({ versions: ["v1.9", "v1.11", "v1.12"] }),
      { status: 200, headers: { "Content-Type": "application/json" } }));
  }
  return realFetch(resource, options);
});

globalThis.window = globalThis;
globalThis.document = {};
globalThis.RTCPeerConnection = class {};
globalThis.RTCSessionDescription = class {};
globalThis.RTCIceCandidate = class {};

function client(token) {
  return sdk.createClient({ baseUrl: base, accessToken: token, userId: "@someone:example.org" });
}

function describe(err) {
  return { httpStatus: err?.httpStatus ?? null, errcode: err?.errcode ?? null, retryAfterMs: err?.data?.retry_after_ms ?? null };
}

// TURN through the SDK's own polling: checkTurnServers(), then getTurnServers().
async function poll(token) {
  const c = client(token);
  let reported = null;
  c.on(sdk.ClientEvent.TurnServersError, (err, fatal) => { reported = { ...describe(err), fatal }; });
  const good = await c.checkTurnServers();
  const out = { good: good === true, servers: c.getTurnServers(), expiresInMs: c.getTurnServersExpiry() - Date.now(),
    error: reported };
  c.stopClient();
  return out;
}

// A direct call through the SDK's HTTP layer, for errors that polling hides.
async function call(token) {
  try {
    const answer = await client(token).turnServer();
    return { ok: true, keys: Object.keys(answer), forceRelay: answer["dev.tern.force_relay"] ?? null };
  } catch (err) {
    return { ok: false, ...describe(err) };
  }
}

const result = {};
const discovered = await sdk.AutoDiscovery.findClientConfig(base);
result.discovery = {
  state: discovered["m.homeserver"]?.state ?? null,
  error: discovered["m.homeserver"]?.error ?? null,
  baseUrl: discovered["m.homeserver"]?.base_url ?? null,
  hasForceTurn: Object.prototype.hasOwnProperty.call(discovered, "im.vector.riot.forceTurn"),
  forceTurn: discovered["im.vector.riot.forceTurn"] ?? null,
};
result.alice = await poll("tok-alice");
result.deniedUser = await poll("tok-bob");
result.guest = await poll("tok-guest");
result.unknownToken = await poll("not-a-token");
result.carolFirst = await call("tok-carol");
result.carolAgain = await call("tok-carol");
process.stdout.write(JSON.stringify(result) + "\n");

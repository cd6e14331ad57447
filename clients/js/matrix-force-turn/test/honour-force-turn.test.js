// honourForceTurn with the real matrix-js-sdk (pinned in devDependencies) against a real HTTP server on a
// random loopback port that answers as a homeserver with Tern's endpoints would.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import * as sdk from "matrix-js-sdk";
import { logger } from "matrix-js-sdk/lib/logger.js";
import { honourForceTurn, forceTurnIn, TURN_SERVER_KEY, WELL_KNOWN_KEY } from "../index.js";

logger.setLevel("silent");

// token -> what /voip/turnServer answers for that user; the well-known by path.
const turnAnswers = {
  "tok-forced": [200, { username: "1:@f:example.org", password: "p", uris: ["turn:127.0.0.1:3478"], ttl: 60, [TURN_SERVER_KEY]: true }],
  "tok-free": [200, { username: "1:@g:example.org", password: "p", uris: ["turn:127.0.0.1:3478"], ttl: 60, [TURN_SERVER_KEY]: false }],
  "tok-synapse": [200, { username: "1:@s:example.org", password: "p", uris: ["turn:127.0.0.1:3478"], ttl: 60 }],
  "tok-denied": [403, { errcode: "M_FORBIDDEN", error: "TURN is not allowed for this user" }],
};
const wellKnowns = {
  "/forced/.well-known/matrix/client": [200, { "m.homeserver": { base_url: "x" }, [WELL_KNOWN_KEY]: true }],
  "/free/.well-known/matrix/client": [200, { "m.homeserver": { base_url: "x" } }],
  "/broken/.well-known/matrix/client": [500, { errcode: "M_UNKNOWN" }],
};
const requests = [];
let server;
let base;

before(async () => {
  server = http.createServer((req, res) => {
    requests.push(req.url);
    const token = (req.headers.authorization ?? "").replace(/^Bearer /, "");
    const [status, body] = req.url.startsWith("/_matrix/client/v3/voip/turnServer")
      ? turnAnswers[token] ?? [401, { errcode: "M_UNKNOWN_TOKEN", error: "Unrecognised access token." }]
      : wellKnowns[req.url] ?? [404, { errcode: "M_UNRECOGNIZED", error: "Unrecognized request" }];
    res.writeHead(status, { "Content-Type": "application/json" });
    res.end(JSON.stringify(body));
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = "http://127.0.0.1:" + server.address().port;
});

after(() => server.close());

function client(token) {
  return sdk.createClient({ baseUrl: base, accessToken: token, userId: "@someone:example.org" });
}

test("forces relay when the well-known flag is true", async () => {
  const c = client("tok-free");
  const result = await honourForceTurn(c, { wellKnownUrl: base + "/forced/.well-known/matrix/client" });
  assert.deepEqual(result, { forced: true, wellKnown: true, perUser: false, problems: [] });
  assert.equal(c.forceTURN, true);
});

test("forces relay when the turnServer answer says this user must relay", async () => {
  const c = client("tok-forced");
  const result = await honourForceTurn(c, { wellKnownUrl: base + "/free/.well-known/matrix/client" });
  assert.deepEqual(result, { forced: true, wellKnown: null, perUser: true, problems: [] });
  assert.equal(c.forceTURN, true);
});

test("leaves relay unforced when neither flag is set", async () => {
  const c = client("tok-free");
  const result = await honourForceTurn(c, { wellKnown: { "m.homeserver": { base_url: base }, [WELL_KNOWN_KEY]: false } });
  assert.deepEqual(result, { forced: false, wellKnown: false, perUser: false, problems: [] });
  assert.equal(c.forceTURN, false);
});

test("never turns off a forceTURN the user chose", async () => {
  const c = sdk.createClient({ baseUrl: base, accessToken: "tok-free", userId: "@someone:example.org", forceTURN: true });
  const result = await honourForceTurn(c, { wellKnownUrl: base + "/free/.well-known/matrix/client" });
  assert.equal(result.forced, false);
  assert.equal(c.forceTURN, true);
});

test("a server without the per-user key (Synapse) leaves it to the well-known", async () => {
  const c = client("tok-synapse");
  const result = await honourForceTurn(c, { wellKnownUrl: base + "/missing/.well-known/matrix/client" });
  assert.deepEqual(result, { forced: false, wellKnown: null, perUser: null, problems: [] });
  assert.equal(c.forceTURN, false);
});

test("a refused turnServer is reported and the well-known flag still applies", async () => {
  const c = client("tok-denied");
  const result = await honourForceTurn(c, { wellKnownUrl: base + "/forced/.well-known/matrix/client" });
  assert.equal(result.forced, true);
  assert.equal(result.perUser, null);
  assert.deepEqual(result.problems, ["turnServer: M_FORBIDDEN (403)"]);
  assert.equal(c.forceTURN, true);
});

test("a failing well-known is reported and the per-user flag still applies", async () => {
  const c = client("tok-forced");
  const result = await honourForceTurn(c, { wellKnownUrl: base + "/broken/.well-known/matrix/client" });
  assert.equal(result.forced, true);
  assert.equal(result.wellKnown, null);
  assert.match(result.problems[0], /^well-known: .* answered 500$/);
});

test("uses the document the client already discovered before fetching", async () => {
  const before = requests.length;
  const c = client("tok-free");
  c.clientWellKnown = { "m.homeserver": { base_url: base }, [WELL_KNOWN_KEY]: true };
  const result = await honourForceTurn(c, { wellKnownUrl: base + "/free/.well-known/matrix/client" });
  assert.equal(result.wellKnown, true);
  assert.equal(c.forceTURN, true);
  assert.ok(requests.slice(before).every((url) => !url.includes(".well-known")), requests.slice(before).join(", "));
});

test("reads only a boolean flag", () => {
  assert.equal(forceTurnIn({ [WELL_KNOWN_KEY]: "true" }), null);
  assert.equal(forceTurnIn({ [WELL_KNOWN_KEY]: true }), true);
  assert.equal(forceTurnIn(null), null);
});

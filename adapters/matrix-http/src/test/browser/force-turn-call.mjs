// Proves in headless Chromium (Debian's /usr/bin/chromium, driven by playwright-core) what matrix-js-sdk's call
// code lets leave the page, with and without clients/js/matrix-force-turn. Run by ForceTurnBrowserIT:
//   node force-turn-call.mjs TERN_URL SCENARIOS_JSON [CHROMIUM]
// Prints one JSON line: per scenario what the SDK's RTCPeerConnection was configured with, every candidate it
// gathered (icecandidate events), every candidate in its local SDP, and every candidate the SDK signalled
// (the m.call.invite offer SDP and m.call.candidates events it PUT to the homeserver).
//
// The page's origin is http://matrix.test (routed here, never on the network):
// - /.well-known/matrix/client and /_matrix/client/*/voip/turnServer go to Tern's real endpoints (TERN_URL),
//   with X-Forwarded-Host when a scenario names a host (its well-known URL carries ?tern_host=; Tern trusts
//   127.0.0.1 as a proxy in the test);
// - /_matrix/client/v3/rooms/*/send/* is the only other homeserver API a call uses: answered {event_id} here and
//   recorded, since Tern is not a homeserver. Anything else gets 404 M_UNRECOGNIZED.
// The SDK's calls are real: createNewMatrixCall and placeVoiceCall with Chromium's fake microphone. The scenarios
// run at once in one page, each with its own client and room, so the bundle is loaded once.
import { chromium } from "playwright-core";
import * as esbuild from "esbuild";
import { fileURLToPath } from "node:url";
import path from "node:path";

const [ternUrl, scenariosJson, executable] = process.argv.slice(2);
const scenarios = JSON.parse(scenariosJson);
const here = path.dirname(fileURLToPath(import.meta.url));
const ORIGIN = "http://matrix.test";

const bundle = await esbuild.build({
  entryPoints: [path.join(here, "page-entry.js")], bundle: true, format: "iife", platform: "browser",
  target: "chrome120", minify: true, write: false, logLevel: "error", define: { "process.env.NODE_ENV": '"production"', global: "window" },
});
const script = bundle.outputFiles[0].text;
// Progress on stderr (ms since bundling), to see where the time goes on a loaded machine.
const T0 = Date.now();
const tick = (what) => process.stderr.write(what + " " + (Date.now() - T0) + "ms\n");

// Installed before any page script: every RTCPeerConnection the page creates is recorded with its config and
// each candidate its icecandidate event carries.
function recordPeerConnections() {
  const connections = [];
  window.ternConnections = connections;
  const Original = window.RTCPeerConnection;
  window.RTCPeerConnection = class extends Original {
    constructor(config, ...rest) {
      super(config, ...rest);
      const entry = { pc: this, gathered: [], config: {
        iceTransportPolicy: config && config.iceTransportPolicy ? config.iceTransportPolicy : null,
        iceServers: (config && config.iceServers ? config.iceServers : []).map((s) => [].concat(s.urls)) } };
      connections.push(entry);
      this.addEventListener("icecandidate", (e) => {
        if (e.candidate && e.candidate.candidate) entry.gathered.push(e.candidate.candidate);
      });
    }
  };
}

const browser = await chromium.launch({
  executablePath: executable || "/usr/bin/chromium", headless: true, timeout: 60000,
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
    // getUserMedia needs a secure context; the page's origin is a routed http one.
    "--unsafely-treat-insecure-origin-as-secure=" + ORIGIN],
});
const results = {};
try {
  const context = await browser.newContext({ permissions: ["microphone"] });
  const page = await context.newPage();
  const consoleLines = [];
  page.on("console", (m) => { if (m.type() === "error") consoleLines.push(m.text()); });
  page.on("pageerror", (e) => consoleLines.push("pageerror: " + e.message));
  const sent = []; // { room, type, content }
  await page.route(ORIGIN + "/**", async (route) => {
    const request = route.request();
    const url = new URL(request.url());
    if (url.pathname === "/") {
      return route.fulfill({ status: 200, contentType: "text/html",
        body: "<!doctype html><title>force-turn</title><script src=\"/bundle.js\"></script>" });
    }
    if (url.pathname === "/bundle.js") {
      return route.fulfill({ status: 200, contentType: "text/javascript", body: script });
    }
    if (url.pathname === "/.well-known/matrix/client" || /^\/_matrix\/client\/[^/]+\/voip\/turnServer$/.test(url.pathname)) {
      const headers = { ...request.headers() };
      const host = url.searchParams.get("tern_host");
      if (host) headers["x-forwarded-host"] = host;
      url.searchParams.delete("tern_host");
      const response = await route.fetch({ url: ternUrl + url.pathname + url.search, headers });
      return route.fulfill({ response });
    }
    const send = url.pathname.match(/^\/_matrix\/client\/v3\/rooms\/([^/]+)\/send\/([^/]+)\/[^/]+$/);
    if (send && request.method() === "PUT") {
      sent.push({ room: decodeURIComponent(send[1]), type: decodeURIComponent(send[2]), content: request.postDataJSON() });
      return route.fulfill({ status: 200, contentType: "application/json", body: JSON.stringify({ event_id: "$e" + sent.length }) });
    }
    return route.fulfill({ status: 404, contentType: "application/json",
      body: JSON.stringify({ errcode: "M_UNRECOGNIZED", error: "Unrecognized request" }) });
  });
  await page.addInitScript(recordPeerConnections);
  await page.goto(ORIGIN + "/");
  await page.waitForFunction(() => typeof window.ternPlaceCall === "function", null, { timeout: 60000 });
  tick("page loaded");
  const outcomes = await page.evaluate((all) => Promise.all(all.map((s) => window.ternPlaceCall(s))), scenarios);
  tick("calls placed");
  scenarios.forEach((scenario, i) => {
    const mine = sent.filter((s) => s.room === scenario.roomId);
    const { localSdp, ...outcome } = outcomes[i];
    results[scenario.name] = { ...outcome,
      localSdpCandidates: localSdp.flatMap(candidateLines),
      signalledSdpCandidates: mine.filter((s) => s.type === "m.call.invite").flatMap((s) => candidateLines(s.content.offer.sdp)),
      signalledCandidates: mine.filter((s) => s.type === "m.call.candidates")
        .flatMap((s) => s.content.candidates.map((c) => c.candidate)).filter((c) => c),
      sentTypes: mine.map((s) => s.type), console: consoleLines };
  });
  await context.close();
} finally {
  await browser.close();
}
process.stdout.write(JSON.stringify(results) + "\n");

function candidateLines(sdp) {
  return sdp.split(/\r?\n/).filter((l) => l.startsWith("a=candidate:")).map((l) => l.substring(2));
}

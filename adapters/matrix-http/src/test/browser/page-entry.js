// Bundled by esbuild (force-turn-call.mjs) into the test page: matrix-js-sdk and the repository's
// clients/js/matrix-force-turn package, exactly as a client would import them, and one function that places
// a matrix-js-sdk voice call and reports what its peer connection was configured with and gathered.
import * as sdk from "matrix-js-sdk";
import { logger } from "matrix-js-sdk/lib/logger.js";
import { CallState } from "matrix-js-sdk/lib/webrtc/call.js";
import { honourForceTurn } from "../../../../../clients/js/matrix-force-turn/index.js";

logger.setLevel("warn");

// scenario: { name, accessToken, userId, usePackage, roomId, invitee, host? }. Scenarios run at once, each with
// its own client and room; window.ternConnections (installed before this script) records every peer connection.
window.ternPlaceCall = async function ternPlaceCall(scenario) {
  const client = sdk.createClient({ baseUrl: location.origin, accessToken: scenario.accessToken, userId: scenario.userId,
    deviceId: "BROWSERTEST" });
  const out = { forceTurn: null, sdkForceTURN: null, turnServers: 0, callErrors: [] };
  // The SDK's own TURN polling, as a started client does: it reads uris/username/password/ttl and nothing else.
  await client.checkTurnServers();
  out.turnServers = client.getTurnServers().length;
  if (scenario.usePackage) {
    // The test's route reads tern_host to send this well-known request as if for that Host.
    const wellKnownUrl = location.origin + "/.well-known/matrix/client"
      + (scenario.host ? "?tern_host=" + encodeURIComponent(scenario.host) : "");
    out.forceTurn = await honourForceTurn(client, { wellKnownUrl });
  }
  out.sdkForceTURN = client.forceTURN;
  const call = sdk.createNewMatrixCall(client, scenario.roomId, { invitee: scenario.invitee });
  call.on(sdk.CallEvent.Error, (e) => out.callErrors.push(String(e && e.message)));
  await call.placeVoiceCall();
  // Until the peer connection has gathered every candidate and the invite went out (bounded), then the SDK's
  // 2 s candidate batch.
  const deadline = Date.now() + 30000;
  while (Date.now() < deadline
      && !(call.peerConn && call.peerConn.iceGatheringState === "complete" && call.state === CallState.InviteSent)) {
    await new Promise((r) => setTimeout(r, 100));
  }
  await new Promise((r) => setTimeout(r, 3000));
  out.callState = call.state;
  const recorded = window.ternConnections.filter((c) => c.pc === call.peerConn);
  out.configs = recorded.map((c) => c.config);
  out.gathered = recorded.flatMap((c) => c.gathered);
  out.localSdp = recorded.map((c) => (c.pc.localDescription ? c.pc.localDescription.sdp : ""));
  call.hangup("user_hangup", false);
  client.stopClient();
  return out;
};

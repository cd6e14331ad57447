// Bundled by esbuild (force-turn-call.mjs) into the test page: matrix-js-sdk and the repository's
// clients/js/matrix-force-turn package, exactly as a client would import them, and one function that places
// a matrix-js-sdk voice call and reports what its peer connection gathered.
import * as sdk from "matrix-js-sdk";
import { logger } from "matrix-js-sdk/lib/logger.js";
import { honourForceTurn } from "../../../../../clients/js/matrix-force-turn/index.js";

logger.setLevel("warn");

// scenario: { accessToken, userId, usePackage, roomId, invitee }
window.ternPlaceCall = async function ternPlaceCall(scenario) {
  const client = sdk.createClient({ baseUrl: location.origin, accessToken: scenario.accessToken, userId: scenario.userId,
    deviceId: "BROWSERTEST" });
  const out = { forceTurn: null, sdkForceTURN: null, turnServers: 0, callErrors: [], callState: null };
  // The SDK's own TURN polling, as a started client does: it reads uris/username/password/ttl and nothing else.
  await client.checkTurnServers();
  out.turnServers = client.getTurnServers().length;
  if (scenario.usePackage) {
    out.forceTurn = await honourForceTurn(client, { wellKnownUrl: location.origin + "/.well-known/matrix/client" });
  }
  out.sdkForceTURN = client.forceTURN;
  const call = sdk.createNewMatrixCall(client, scenario.roomId, { invitee: scenario.invitee });
  call.on(sdk.CallEvent.Error, (e) => out.callErrors.push(String(e && e.message)));
  const started = Date.now();
  await call.placeVoiceCall();
  out.placedMs = Date.now() - started;
  // Until the peer connection has gathered every candidate, the invite went out and the SDK's 2 s candidate
  // batch has been sent (bounded).
  const deadline = Date.now() + 30000;
  while (Date.now() < deadline) {
    const pc = call.peerConn;
    if (pc && pc.iceGatheringState === "complete" && window.ternSeen.signalled.invites > 0) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  out.gatheredMs = Date.now() - started;
  out.pcGatheringAtBreak = call.peerConn ? call.peerConn.iceGatheringState : null;
  out.invitesAtBreak = window.ternSeen.signalled.invites;
  await new Promise((r) => setTimeout(r, 3000));
  window.ternLocalSdp();
  out.callState = call.state;
  out.gatheringState = call.peerConn ? call.peerConn.iceGatheringState : null;
  call.hangup("user_hangup", false);
  client.stopClient();
  return out;
};

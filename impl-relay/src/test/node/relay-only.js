// Two node-datachannel (libdatachannel) peers with Tern as their only ICE server and relay-only ICE:
// peer "a" sends messages on a data channel, peer "b" echoes them. Prints one JSON line and exits 0 when
// every echo came back, 2 on timeout. Usage: node relay-only.js HOST PORT USERNAME PASSWORD COUNT
'use strict';
const ndc = require('node-datachannel');

const [host, port, username, password, countArg] = process.argv.slice(2);
const count = Number(countArg || 5);
// The native PeerConnection takes iceServers objects; the URL form cannot carry a REST username (it has ':').
const config = {
  iceServers: [{ hostname: host, port: Number(port), username, password, relayType: 'TurnUdp' }],
  iceTransportPolicy: 'relay',
};
const a = new ndc.PeerConnection('a', config);
const b = new ndc.PeerConnection('b', config);
const candidates = [];
const received = [];
let done = false;

a.onLocalDescription((sdp, type) => b.setRemoteDescription(sdp, type));
b.onLocalDescription((sdp, type) => a.setRemoteDescription(sdp, type));
a.onLocalCandidate((candidate, mid) => { candidates.push(candidate); b.addRemoteCandidate(candidate, mid); });
b.onLocalCandidate((candidate, mid) => { candidates.push(candidate); a.addRemoteCandidate(candidate, mid); });
b.onDataChannel((channel) => channel.onMessage((msg) => channel.sendMessage('echo:' + msg)));

const dc = a.createDataChannel('tern');
dc.onOpen(() => { for (let i = 0; i < count; i++) dc.sendMessage('message-' + i); });
dc.onMessage((msg) => {
  received.push(String(msg));
  if (received.length === count) finish(true, 0);
});

function finish(ok, code) {
  if (done) return;
  done = true;
  let pairA = null;
  let pairB = null;
  try { pairA = a.getSelectedCandidatePair(); pairB = b.getSelectedCandidatePair(); } catch (e) { /* not connected */ }
  console.log(JSON.stringify({ ok, received, candidates, pairA, pairB }));
  try { dc.close(); a.close(); b.close(); } catch (e) { /* closing anyway */ }
  ndc.cleanup();
  process.exit(code);
}

setTimeout(() => finish(false, 2), 30000);

// Two node-datachannel (libdatachannel) peers with Tern as their only ICE server and relay-only ICE:
// peer "a" sends COUNT messages on a data channel, all at once or one every INTERVAL_MS (a flow a test can act
// on while it runs), peer "b" echoes them. Prints "open" when the channel opens, then one JSON line (echoes,
// the numbers of the messages whose echo is missing, candidates, selected pairs) and exits 0 when every echo
// came back, 2 on timeout. Usage: node relay-only.js HOST PORT USERNAME PASSWORD COUNT [INTERVAL_MS]
'use strict';
const ndc = require('node-datachannel');

const [host, port, username, password, countArg, intervalArg] = process.argv.slice(2);
const count = Number(countArg || 5);
const interval = Number(intervalArg || 0);
// The native PeerConnection takes iceServers objects; the URL form cannot carry a REST username (it has ':').
const config = {
  iceServers: [{ hostname: host, port: Number(port), username, password, relayType: 'TurnUdp' }],
  iceTransportPolicy: 'relay',
};
const a = new ndc.PeerConnection('a', config);
const b = new ndc.PeerConnection('b', config);
const candidates = [];
const received = [];
let sender = null;
let done = false;

a.onLocalDescription((sdp, type) => b.setRemoteDescription(sdp, type));
b.onLocalDescription((sdp, type) => a.setRemoteDescription(sdp, type));
a.onLocalCandidate((candidate, mid) => { candidates.push(candidate); b.addRemoteCandidate(candidate, mid); });
b.onLocalCandidate((candidate, mid) => { candidates.push(candidate); a.addRemoteCandidate(candidate, mid); });
b.onDataChannel((channel) => channel.onMessage((msg) => channel.sendMessage('echo:' + msg)));

const dc = a.createDataChannel('tern');
dc.onOpen(() => {
  console.log('open');
  if (interval <= 0) {
    for (let i = 0; i < count; i++) dc.sendMessage('message-' + i);
    return;
  }
  let next = 0;
  sender = setInterval(() => { if (next < count) dc.sendMessage('message-' + next++); }, interval);
});
dc.onMessage((msg) => {
  received.push(String(msg));
  if (received.length === count) finish(true, 0);
});

function finish(ok, code) {
  if (done) return;
  done = true;
  if (sender) clearInterval(sender);
  let pairA = null;
  let pairB = null;
  try { pairA = a.getSelectedCandidatePair(); pairB = b.getSelectedCandidatePair(); } catch (e) { /* not connected */ }
  const missing = [];
  for (let i = 0; i < count; i++) if (!received.includes('echo:message-' + i)) missing.push(i);
  console.log(JSON.stringify({ ok, received, missing, candidates, pairA, pairB }));
  try { dc.close(); a.close(); b.close(); } catch (e) { /* closing anyway */ }
  ndc.cleanup();
  process.exit(code);
}

// Time to connect (up to 20 s) plus a paced flow's own length plus 10 s for the last echoes.
setTimeout(() => finish(false, 2), 30000 + count * Math.max(interval, 0));

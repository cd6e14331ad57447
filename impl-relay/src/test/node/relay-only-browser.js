// Two RTCPeerConnections in headless Chromium (Debian's /usr/bin/chromium, driven by playwright-core) with
// one TURN URL as their only ICE server and relay-only ICE: "a" sends messages on a data channel, "b"
// echoes them. Prints one JSON line (echoes, candidates, the selected pair's relay protocol) and exits 0 when
// every echo came back, 2 otherwise. Chromium's own TLS stack makes TURN over TLS connections, so
// --ignore-certificate-errors lets it accept the test's self-signed certificate.
// Usage: node relay-only-browser.js TURN_URL USERNAME PASSWORD COUNT [CHROMIUM]
'use strict';
const { chromium } = require('playwright-core');

const [url, username, credential, countArg, executable] = process.argv.slice(2);
const count = Number(countArg || 5);

async function main() {
  const browser = await chromium.launch({
    executablePath: executable || '/usr/bin/chromium',
    headless: true,
    timeout: 60000,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--ignore-certificate-errors'],
  });
  try {
    const page = await browser.newPage();
    const result = await page.evaluate(async ({ url, username, credential, count }) => {
      const config = { iceServers: [{ urls: url, username, credential }], iceTransportPolicy: 'relay' };
      const a = new RTCPeerConnection(config);
      const b = new RTCPeerConnection(config);
      const candidates = [];
      a.onicecandidate = (e) => { if (e.candidate) { candidates.push(e.candidate.candidate); b.addIceCandidate(e.candidate); } };
      b.onicecandidate = (e) => { if (e.candidate) { candidates.push(e.candidate.candidate); a.addIceCandidate(e.candidate); } };
      b.ondatachannel = (e) => { e.channel.onmessage = (m) => e.channel.send('echo:' + m.data); };
      const dc = a.createDataChannel('tern');
      const received = [];
      const done = new Promise((resolve) => {
        dc.onopen = () => { for (let i = 0; i < count; i++) dc.send('message-' + i); };
        dc.onmessage = (m) => { received.push(m.data); if (received.length === count) resolve(true); };
        setTimeout(() => resolve(false), 30000);
      });
      await a.setLocalDescription(await a.createOffer());
      await b.setRemoteDescription(a.localDescription);
      await b.setLocalDescription(await b.createAnswer());
      await a.setRemoteDescription(b.localDescription);
      const ok = await done;
      // The pair each side sends on: the transport's selected pair (ICE may mark it nominated a little later,
      // so the nominated flag is not waited for). Polled briefly: stats can lag the first echoed message.
      async function selectedPair(pc) {
        for (let attempt = 0; attempt < 50; attempt++) {
          const stats = await pc.getStats();
          let pair = null;
          stats.forEach((s) => {
            if (s.type === 'transport' && s.selectedCandidatePairId) pair = stats.get(s.selectedCandidatePairId);
          });
          if (!pair) {
            stats.forEach((s) => { if (s.type === 'candidate-pair' && s.state === 'succeeded' && s.nominated) pair = s; });
          }
          if (pair) {
            const local = stats.get(pair.localCandidateId);
            const remote = stats.get(pair.remoteCandidateId);
            return { local: local.candidateType, relayProtocol: local.relayProtocol, remote: remote.candidateType,
              address: local.address, state: pair.state };
          }
          await new Promise((r) => setTimeout(r, 100));
        }
        return null;
      }
      const pairs = [];
      for (const pc of [a, b]) {
        const pair = ok ? await selectedPair(pc) : null;
        if (pair) pairs.push(pair);
      }
      a.close();
      b.close();
      return { ok, received, candidates, pairs };
    }, { url, username, credential, count });
    console.log(JSON.stringify(result));
    return result.ok ? 0 : 2;
  } finally {
    await browser.close();
  }
}

main().then((code) => process.exit(code), (e) => {
  console.log(JSON.stringify({ ok: false, error: String(e && e.stack || e) }));
  process.exit(2);
});

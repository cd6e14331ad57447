// The call test, like WebRTC's "Trickle ICE" sample: credentials from the homeserver's
// /_matrix/client/v3/voip/turnServer, two RTCPeerConnections in this page with iceTransportPolicy "relay",
// every gathered candidate shown, then messages over a data channel through the relay.
// Any candidate that would reveal an address of this device (host, server-reflexive or peer-reflexive, or a
// relay candidate whose related address is a real one) fails the test and is shown: with relay-only ICE there
// must be none, so one means the browser, an extension or a policy ignored iceTransportPolicy "relay".
// The outcome is written to #call-result (text, and data-* attributes for automated checks).
'use strict';

(function () {
  const form = document.getElementById('call-form');
  const baseUrlInput = document.getElementById('base-url');
  const result = document.getElementById('call-result');
  const log = document.getElementById('call-log');
  const candidateRows = document.querySelector('#candidates tbody');
  const TIMEOUT_MS = 30000;

  // The page may be opened as /admin?base_url=https://matrix.example.org (never with a token in the URL).
  const given = new URLSearchParams(location.search).get('base_url');
  baseUrlInput.value = given || sessionStorage.getItem('tern-base-url') || '';

  function note(text) {
    const li = document.createElement('li');
    li.textContent = new Date().toISOString().substring(11, 23) + ' ' + text;
    log.appendChild(li);
  }

  function finish(state) {
    result.dataset.state = 'done';
    result.dataset.outcome = state.ok ? 'success' : 'failure';
    result.dataset.relayCandidates = String(state.relayCandidates);
    result.dataset.otherCandidates = String(state.otherCandidates);
    result.dataset.revealingCandidates = String(state.revealing.length);
    result.dataset.dataReceived = state.received === state.expected ? 'yes' : 'no';
    result.dataset.messagesReceived = String(state.received);
    result.textContent = (state.ok ? 'Success. ' : 'Failed' + (state.error ? ': ' + state.error : '') + '. ')
      + 'relay candidates: ' + state.relayCandidates
      + ', data received: ' + (state.received === state.expected ? 'yes' : 'no')
      + ' (' + state.received + ' of ' + state.expected + ' messages)';
  }

  // What a candidate would tell the other side about this device's addresses, or null when nothing.
  function revealedBy(candidate) {
    if (candidate.type !== 'relay') {
      return candidate.type + ' ' + candidate.address + ':' + candidate.port;
    }
    const related = candidate.relatedAddress;
    if (related && related !== '0.0.0.0' && related !== '::') {
      return 'relay with related address ' + related + ':' + candidate.relatedPort;
    }
    return null;
  }

  // Candidate lines of a local description that are not relay candidates (what the SDP itself would carry).
  function revealingSdpLines(description) {
    if (!description) return [];
    return description.sdp.split(/\r?\n/).filter((l) => l.startsWith('a=candidate:') && !/ typ relay( |$)/.test(l))
      .map((l) => l.substring(2));
  }

  function showCandidate(peer, candidate, revealed) {
    const row = candidateRows.insertRow();
    if (revealed) {
      row.className = 'reveals';
      row.title = 'reveals ' + revealed;
    }
    for (const value of [peer, candidate.type, candidate.protocol, candidate.address, candidate.port,
      candidate.relayProtocol || '-']) {
      const td = document.createElement('td');
      td.textContent = value === null || value === undefined ? '?' : String(value);
      row.appendChild(td);
    }
  }

  async function fetchIceServers(baseUrl, accessToken) {
    const url = baseUrl.replace(/\/+$/, '') + '/_matrix/client/v3/voip/turnServer';
    note('GET ' + url);
    const response = await fetch(url, { headers: { Authorization: 'Bearer ' + accessToken }, cache: 'no-store' });
    const body = await response.json().catch(() => ({}));
    if (!response.ok) {
      throw new Error('turnServer answered ' + response.status + (body.errcode ? ' ' + body.errcode : '')
        + (body.error ? ': ' + body.error : ''));
    }
    if (!body.uris || body.uris.length === 0) {
      throw new Error('the homeserver has no TURN server configured (no uris in the answer)');
    }
    note('got credentials for ' + body.uris.join(', ') + ', valid ' + body.ttl + 's');
    return [{ urls: body.uris, username: body.username, credential: body.password }];
  }

  // After a successful test the call stays up for a while, so its allocations show in the table above.
  const HOLD_MS = 60000;
  const hangUpButton = document.getElementById('hang-up');
  let active = [];
  let holdTimer;

  function hangUp() {
    clearTimeout(holdTimer);
    active.forEach((pc) => pc.close());
    if (active.length > 0) note('hung up');
    active = [];
    hangUpButton.disabled = true;
    document.dispatchEvent(new Event('tern:call-test-changed'));
  }
  hangUpButton.addEventListener('click', hangUp);

  async function run(baseUrl, accessToken, expected) {
    const state = { ok: false, relayCandidates: 0, otherCandidates: 0, revealing: [], received: 0, expected, error: null };
    const connections = [];
    let timer;
    try {
      const iceServers = await fetchIceServers(baseUrl, accessToken);
      const config = { iceServers, iceTransportPolicy: 'relay' };
      const caller = new RTCPeerConnection(config);
      const callee = new RTCPeerConnection(config);
      connections.push(caller, callee);
      for (const [name, local, remote] of [['caller', caller, callee], ['callee', callee, caller]]) {
        local.addEventListener('icecandidate', (event) => {
          if (!event.candidate) {
            note(name + ': gathering complete');
            return;
          }
          if (!event.candidate.candidate) return;
          const revealed = revealedBy(event.candidate);
          showCandidate(name, event.candidate, revealed);
          if (event.candidate.type === 'relay') state.relayCandidates++; else state.otherCandidates++;
          if (revealed) {
            state.revealing.push(name + ': ' + revealed);
            note(name + ': candidate reveals an address: ' + event.candidate.candidate);
          }
          remote.addIceCandidate(event.candidate).catch((e) => note(name + ': addIceCandidate failed: ' + e));
        });
        local.addEventListener('icecandidateerror', (event) => {
          note(name + ': ICE server error ' + event.errorCode + ' ' + (event.errorText || '') + ' (' + event.url + ')');
        });
        local.addEventListener('iceconnectionstatechange', () => note(name + ': ICE ' + local.iceConnectionState));
      }

      const done = new Promise((resolve, reject) => {
        timer = setTimeout(() => reject(new Error('no answer through the relay within ' + TIMEOUT_MS / 1000 + 's')),
          TIMEOUT_MS);
        callee.addEventListener('datachannel', (event) => {
          event.channel.addEventListener('message', (message) => {
            state.received++;
            note('callee received "' + message.data + '"');
            event.channel.send('echo:' + message.data);
          });
        });
        const channel = caller.createDataChannel('tern-call-test');
        let echoes = 0;
        channel.addEventListener('open', () => {
          note('data channel open');
          for (let i = 0; i < expected; i++) channel.send('message-' + i);
        });
        channel.addEventListener('message', () => {
          echoes++;
          if (echoes === expected) resolve();
        });
      });

      const offer = await caller.createOffer();
      await caller.setLocalDescription(offer);
      await callee.setRemoteDescription(offer);
      const answer = await callee.createAnswer();
      await callee.setLocalDescription(answer);
      await caller.setRemoteDescription(answer);
      await done;
      state.ok = state.relayCandidates > 0 && state.received === expected;
      note('all ' + expected + ' messages and their echoes arrived');
    } catch (e) {
      state.error = e.message;
      note('failed: ' + e.message);
    } finally {
      clearTimeout(timer);
      // Whatever else happened: a revealing candidate fails the test, named first.
      connections.forEach((pc, i) => {
        for (const line of revealingSdpLines(pc.localDescription)) state.revealing.push((i === 0 ? 'caller' : 'callee') + ': SDP ' + line);
      });
      if (state.revealing.length > 0) {
        state.ok = false;
        state.error = 'a candidate reveals an address of this device (' + state.revealing[0]
          + (state.revealing.length > 1 ? ' and ' + (state.revealing.length - 1) + ' more' : '')
          + '): the browser did not keep to relay-only ICE' + (state.error ? '; also: ' + state.error : '');
        note('failed: ' + state.error);
      }
      if (state.ok) {
        active = connections;
        hangUpButton.disabled = false;
        holdTimer = setTimeout(hangUp, HOLD_MS);
        note('the call stays up for ' + HOLD_MS / 1000 + 's (Hang up ends it): its allocations are listed above');
      } else {
        connections.forEach((pc) => pc.close());
      }
      finish(state);
      document.dispatchEvent(new Event('tern:call-test-changed'));
    }
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    hangUp();
    sessionStorage.setItem('tern-base-url', baseUrlInput.value);
    candidateRows.replaceChildren();
    log.replaceChildren();
    result.dataset.state = 'running';
    delete result.dataset.outcome;
    result.textContent = 'Running…';
    const count = Math.max(1, Math.min(100, Number(document.getElementById('message-count').value) || 5));
    run(baseUrlInput.value, document.getElementById('access-token').value, count);
  });
})();

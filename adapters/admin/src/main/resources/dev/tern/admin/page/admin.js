// Tern admin page: relay status and live allocations from /admin/api/*, with the admin token (kept in
// sessionStorage only) as a bearer token when the server requires one.
'use strict';

(function () {
  const tokenInput = document.getElementById('admin-token');
  const errorBox = document.getElementById('api-error');
  tokenInput.value = sessionStorage.getItem('tern-admin-token') || '';
  tokenInput.addEventListener('change', () => {
    sessionStorage.setItem('tern-admin-token', tokenInput.value);
    refresh();
  });
  document.getElementById('refresh').addEventListener('click', refresh);
  document.getElementById('access').addEventListener('submit', (event) => {
    event.preventDefault();
    sessionStorage.setItem('tern-admin-token', tokenInput.value);
    refresh();
  });

  async function api(path) {
    const headers = tokenInput.value ? { Authorization: 'Bearer ' + tokenInput.value } : {};
    const response = await fetch(path, { headers, cache: 'no-store' });
    if (response.status === 401) throw new Error('the admin token is missing or wrong');
    if (!response.ok) throw new Error(path + ' answered ' + response.status);
    return response.json();
  }

  function cell(row, text) {
    const td = document.createElement('td');
    td.textContent = text;
    row.appendChild(td);
  }

  function emptyTable(body, columns, text) {
    const td = document.createElement('td');
    td.colSpan = columns;
    td.textContent = text;
    body.insertRow().appendChild(td);
  }

  function duration(seconds) {
    if (seconds < 60) return seconds + 's';
    if (seconds < 3600) return Math.floor(seconds / 60) + 'm ' + (seconds % 60) + 's';
    return Math.floor(seconds / 3600) + 'h ' + Math.floor((seconds % 3600) / 60) + 'm';
  }

  function dataPlane(plane) {
    const carried = (c) => c.packets + ' packets, ' + c.bytes + ' bytes';
    return (plane.plane === 'kernel' ? 'kernel' : 'user space') + ' (' + plane.reason + '); carried by user space: '
      + carried(plane.user) + '; by the kernel: ' + carried(plane.kernel);
  }

  function showStatus(status) {
    const list = document.getElementById('status');
    list.replaceChildren();
    const rows = [
      ['Relay', status.relay.configured ? 'listening on ' + (status.relay.listen || []).join(', ') : 'not configured'],
      ['Live allocations', status.relay.configured ? String(status.relay.allocations) : '-'],
      ['Data plane', status.relay.data_plane ? dataPlane(status.relay.data_plane) : '-'],
      ['Credentials', status.credentials_configured ? 'configured' : 'not configured'],
      ['Relaying forced for everyone', status.server_forces_relay === null ? 'policy did not answer'
        : status.server_forces_relay ? 'yes' : 'no'],
      ['Uptime', duration(status.uptime_seconds)],
    ];
    for (const [name, value] of rows) {
      const dt = document.createElement('dt');
      dt.textContent = name;
      const dd = document.createElement('dd');
      dd.textContent = value;
      list.append(dt, dd);
    }
  }

  function showAllocations(allocations) {
    const body = document.querySelector('#allocations tbody');
    body.replaceChildren();
    if (allocations.length === 0) {
      emptyTable(body, 8, 'No live allocations.');
      return;
    }
    for (const a of allocations) {
      const row = body.insertRow();
      cell(row, a.user);
      cell(row, a.client + ' (' + a.transport + ')');
      cell(row, (a.relayed_addresses || [a.relayed]).join(', ')); // two with a dual allocation
      cell(row, a.peers.join(', ') || '-');
      cell(row, String(a.bytes_to_peers));
      cell(row, String(a.bytes_from_peers));
      cell(row, duration(a.age_seconds));
      cell(row, duration(a.expires_in_seconds));
    }
  }

  // Charts: inline SVG drawn here (no library, no network). Each relay is a polyline with one circle per sample;
  // the circles carry the sample's values (data-relay, data-at, data-value) so what is drawn can be checked.
  const SVG = 'http://www.w3.org/2000/svg';
  const COLOURS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b', '#e377c2', '#17becf'];

  function svg(name, attributes) {
    const element = document.createElementNS(SVG, name);
    for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, String(value));
    return element;
  }

  function bitRate(bps) {
    if (bps >= 1e9) return (bps / 1e9).toFixed(1) + ' Gbit/s';
    if (bps >= 1e6) return (bps / 1e6).toFixed(1) + ' Mbit/s';
    if (bps >= 1e3) return (bps / 1e3).toFixed(1) + ' kbit/s';
    return bps + ' bit/s';
  }

  function drawChart(chart, history, field, format) {
    const width = 600, height = 160, left = 4, right = 4, top = 14, bottom = 4;
    chart.replaceChildren();
    const now = Date.now();
    const start = now - history.window_seconds * 1000;
    let max = 1;
    for (const relay of history.relays) for (const s of relay.samples) max = Math.max(max, s[field]);
    const x = (at) => left + (width - left - right) * Math.max(0, Date.parse(at) - start) / (now - start);
    const y = (value) => height - bottom - (height - top - bottom) * value / max;
    chart.appendChild(svg('line', { x1: left, y1: y(0), x2: width - right, y2: y(0), stroke: '#ccc' }));
    const label = svg('text', { x: left + 2, y: 11 });
    label.textContent = 'max ' + format(max) + ' (' + Math.round(history.window_seconds / 60) + ' minutes, now at the right)';
    chart.appendChild(label);
    history.relays.forEach((relay, i) => {
      const colour = COLOURS[i % COLOURS.length];
      const points = relay.samples.map((s) => x(s.at).toFixed(1) + ',' + y(s[field]).toFixed(1)).join(' ');
      chart.appendChild(svg('polyline', { points, fill: 'none', stroke: colour, 'stroke-width': 1.5,
        'data-relay': relay.relay_id }));
      for (const s of relay.samples) {
        const dot = svg('circle', { cx: x(s.at).toFixed(1), cy: y(s[field]).toFixed(1), r: 2, fill: colour,
          'data-relay': relay.relay_id, 'data-at': s.at, 'data-value': s[field] });
        const title = svg('title', {});
        title.textContent = relay.relay_id + ' ' + new Date(s.at).toLocaleTimeString() + ': ' + format(s[field]);
        dot.appendChild(title);
        chart.appendChild(dot);
      }
    });
  }

  function showHistory(history) {
    document.getElementById('history-interval').textContent = String(history.interval_seconds);
    drawChart(document.getElementById('chart-allocations'), history, 'allocations', String);
    drawChart(document.getElementById('chart-bitrate'), history, 'bits_per_second', bitRate);
    const legend = document.getElementById('chart-legend');
    legend.replaceChildren();
    history.relays.forEach((relay, i) => {
      const item = document.createElement('li');
      const swatch = document.createElement('span');
      swatch.style.background = COLOURS[i % COLOURS.length];
      item.append(swatch, relay.relay_id);
      legend.appendChild(item);
    });
    const body = document.querySelector('#fleet tbody');
    body.replaceChildren();
    if (history.fleet.length === 0) {
      emptyTable(body, 7, 'No relay reported yet.');
      return;
    }
    for (const r of history.fleet) {
      const row = body.insertRow();
      cell(row, r.relay_id);
      cell(row, r.uris.join(' '));
      cell(row, r.data_plane);
      cell(row, String(r.allocations));
      cell(row, bitRate(r.bits_per_second));
      cell(row, r.draining ? 'yes' : 'no');
      cell(row, new Date(r.last_seen).toLocaleTimeString());
    }
  }

  async function refresh() {
    try {
      const [status, allocations, history] = await Promise.all([api('/admin/api/status'),
        api('/admin/api/allocations'), api('/admin/api/history')]);
      errorBox.textContent = '';
      showStatus(status);
      showAllocations(allocations);
      showHistory(history);
      document.body.dataset.historyLoaded = 'true';
      document.body.dataset.loaded = 'true';
    } catch (e) {
      errorBox.textContent = e.message;
    }
  }

  document.addEventListener('tern:call-test-changed', refresh);
  refresh();
  setInterval(refresh, 5000);
})();

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
      const row = body.insertRow();
      const td = document.createElement('td');
      td.colSpan = 8;
      td.textContent = 'No live allocations.';
      row.appendChild(td);
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

  async function refresh() {
    try {
      const [status, allocations] = await Promise.all([api('/admin/api/status'), api('/admin/api/allocations')]);
      errorBox.textContent = '';
      showStatus(status);
      showAllocations(allocations);
      document.body.dataset.loaded = 'true';
    } catch (e) {
      errorBox.textContent = e.message;
    }
  }

  document.addEventListener('tern:call-test-changed', refresh);
  refresh();
  setInterval(refresh, 5000);
})();

/**
 * The page a front end would serve: a "Link" button, then the bank's name, when the balances were
 * fetched, a "Disconnect" button, a "Reconnect" button when the Item needs its user (Link's update
 * mode) and a balances table. A linked bank stays on the page when a read fails (with the error,
 * and "Reconnect" when that is the fix); one primary action at a time ("Connect" only while no bank
 * is linked). Element ids and `data-testid`s are stable: browser tests click through them.
 */
export function renderPage(mode: 'fake' | 'plaid'): string {
  const linkScript =
    mode === 'plaid' ? '<script src="https://cdn.plaid.com/link/v2/stable/link-initialize.js"></script>' : '';
  const buttonLabel = mode === 'plaid' ? 'Connect a bank' : 'Connect a bank (fake Link)';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>plaid-facade example</title>
<!-- No icon: an empty one, so the browser does not ask the server for /favicon.ico (a 404). -->
<link rel="icon" href="data:,">
<style>
  body { font-family: system-ui, sans-serif; margin: 2rem; }
  table { border-collapse: collapse; margin-top: 1rem; }
  th, td { border: 1px solid #ccc; padding: .3rem .6rem; }
  td.amount { text-align: right; font-variant-numeric: tabular-nums; }
</style>
${linkScript}
</head>
<body>
<h1>Balances</h1>
<button id="link-button" data-testid="link-button">${buttonLabel}</button>
<p id="status" data-testid="status" role="status">Not connected.</p>
<p id="connection" data-testid="connection" hidden>
  <strong id="institution" data-testid="institution"></strong>:
  <span id="fetched" data-testid="fetched">balances fetched at <time id="fetched-at" data-testid="fetched-at"></time></span>
  <span id="unavailable" data-testid="unavailable" hidden>balances not available right now</span>
  <button id="disconnect-button" data-testid="disconnect-button">Disconnect</button>
</p>
<p id="reconnect" data-testid="reconnect" hidden>
  This bank connection needs you: <span id="health" data-testid="health"></span>
  <button id="reconnect-button" data-testid="reconnect-button">Reconnect</button>
</p>
<section id="items-section" data-testid="items-section" hidden>
  <h2>Your banks</h2>
  <ul id="items" data-testid="items"></ul>
</section>
<table id="balances" data-testid="balances" hidden>
  <thead><tr><th>Account</th><th>Mask</th><th>Available</th><th>Current</th><th>Limit</th><th>Currency</th></tr></thead>
  <tbody id="balances-body"></tbody>
</table>
<script type="module">
const mode = ${JSON.stringify(mode)};
const status = document.getElementById('status');
const post = async (path, body) => {
  const response = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body ?? {}) });
  const data = await response.json();
  if (!response.ok) throw new Error(data.message ?? data.error ?? response.statusText);
  return data;
};
const money = (value) => (value === null ? '—' : value.toFixed(2));
let connectedItemId = null;
let connectedInstitution = null;

// The linked bank, shown whatever its balances do; "Connect" gives way to it (one primary action).
function showConnection(itemId) {
  connectedItemId = itemId;
  document.getElementById('institution').textContent = connectedInstitution?.name ?? 'Your bank';
  document.getElementById('connection').hidden = false;
  document.getElementById('link-button').hidden = true;
}

// The Item's health, as the server's webhooks and calls left it: "reconnect" when the user is needed.
async function showHealth(itemId) {
  const { items } = await (await fetch('/api/items')).json();
  const item = items.find((entry) => entry.itemId === itemId);
  document.getElementById('reconnect').hidden = !item?.needsReconnect;
  document.getElementById('health').textContent = item ? item.status.replaceAll('_', ' ') : '';
}

async function showBalances(itemId) {
  status.textContent = 'Reading balances…';
  delete status.dataset.state;
  showConnection(itemId);
  const response = await fetch('/api/balances?itemId=' + encodeURIComponent(itemId));
  const data = await response.json();
  await showHealth(itemId);
  // A failed read leaves the bank linked: say so, keep "Disconnect", and "Reconnect" if it is the fix.
  document.getElementById('fetched').hidden = !response.ok;
  document.getElementById('unavailable').hidden = response.ok;
  if (!response.ok) {
    document.getElementById('balances').hidden = true;
    throw new Error(data.message ?? data.error);
  }
  const body = document.getElementById('balances-body');
  body.replaceChildren();
  for (const account of data.accounts) {
    const row = document.createElement('tr');
    row.dataset.testid = 'balance-row';
    row.id = 'account-' + account.accountId;
    const cells = [
      ['name', account.name],
      ['mask', account.mask ?? '—'],
      ['available', money(account.balances.available)],
      ['current', money(account.balances.current)],
      ['limit', money(account.balances.limit)],
      ['currency', account.balances.currency ?? '—'],
    ];
    for (const [key, text] of cells) {
      const cell = document.createElement('td');
      cell.dataset.testid = 'balance-' + key;
      if (['available', 'current', 'limit'].includes(key)) cell.className = 'amount';
      cell.textContent = text;
      row.append(cell);
    }
    body.append(row);
  }
  if (data.institution) connectedInstitution = data.institution;
  document.getElementById('institution').textContent = connectedInstitution?.name ?? 'Your bank';
  const fetchedAt = document.getElementById('fetched-at');
  fetchedAt.dateTime = data.fetchedAt;
  fetchedAt.textContent = new Date(data.fetchedAt).toLocaleTimeString();
  document.getElementById('connection').hidden = false;
  document.getElementById('balances').hidden = false;
  document.getElementById('link-button').hidden = true;
  status.textContent = 'Connected: ' + data.accounts.length + ' accounts.';
  connectedItemId = itemId;
}

// Link's onSuccess metadata goes to the server too: it names the bank the user picked.
async function connected(publicToken, metadata) {
  status.textContent = 'Exchanging the public token…';
  const { itemId, institution } = await post('/api/exchange', { publicToken, metadata });
  localStorage.removeItem('pendingLinkToken');
  connectedInstitution = institution;
  await showBalances(itemId);
}

// The user's banks, from the server's token store: they survive a reload.
async function listItems() {
  const { items } = await (await fetch('/api/items')).json();
  const list = document.getElementById('items');
  list.replaceChildren(...items.map((item) => {
    const entry = document.createElement('li');
    entry.dataset.testid = 'item';
    entry.textContent = (item.institutionId ?? 'A bank') + ' (' + item.status.replaceAll('_', ' ') + ')';
    return entry;
  }));
  document.getElementById('items-section').hidden = items.length === 0;
  return items;
}

// On load: a Link session left open (the page reloaded before onSuccess reached the server) is
// completed on the server; Plaid knows what it added.
async function resume() {
  await listItems();
  const linkToken = localStorage.getItem('pendingLinkToken');
  if (!linkToken) return;
  status.textContent = 'Finishing your bank connection…';
  const { status: state, itemIds } = await post('/api/complete-link', { linkToken });
  if (state === 'pending') {
    status.textContent = 'Link is still open in another window.';
    return;
  }
  localStorage.removeItem('pendingLinkToken');
  if (state === 'completed' && itemIds.length > 0) {
    await listItems();
    await showBalances(itemIds[0]);
  } else {
    status.textContent = 'Not connected.';
  }
}
resume().catch(fail);

document.getElementById('disconnect-button').addEventListener('click', async () => {
  try {
    status.textContent = 'Disconnecting…';
    await post('/api/disconnect', { itemId: connectedItemId });
    connectedItemId = null;
    connectedInstitution = null;
    document.getElementById('connection').hidden = true;
    document.getElementById('balances').hidden = true;
    document.getElementById('reconnect').hidden = true;
    document.getElementById('link-button').hidden = false;
    status.textContent = 'Disconnected.';
    delete status.dataset.state;
  } catch (error) {
    fail(error);
  }
});

// Link's update mode: the same Item, the user logs in again; then the server asks Plaid (getItem).
document.getElementById('reconnect-button').addEventListener('click', async () => {
  try {
    status.textContent = 'Opening Link to reconnect…';
    const itemId = connectedItemId;
    const { linkToken } = await post('/api/link-token', { itemId });
    const done = async () => {
      await post('/api/reconnected', { itemId });
      await showBalances(itemId);
    };
    if (mode === 'plaid') {
      Plaid.create({ token: linkToken, onSuccess: () => done().catch(fail) }).open();
    } else {
      await post('/api/fake-relink', { itemId });
      await done();
    }
  } catch (error) {
    fail(error);
  }
});

document.getElementById('link-button').addEventListener('click', async () => {
  try {
    status.textContent = 'Opening Link…';
    const { linkToken } = await post('/api/link-token');
    // Kept until the server has the Item: after a reload, resume() completes the session.
    localStorage.setItem('pendingLinkToken', linkToken);
    if (mode === 'plaid') {
      // Plaid's own Link, from its CDN: it calls onSuccess with the public token.
      const handler = Plaid.create({
        token: linkToken,
        onSuccess: (publicToken, metadata) => connected(publicToken, metadata).catch(fail),
        onExit: (error) => {
          localStorage.removeItem('pendingLinkToken');
          if (error) fail(new Error(error.display_message ?? error.error_message));
        },
      });
      handler.open();
    } else {
      // With the fake Plaid there is no Link UI: a fake-only endpoint plays the user's part.
      const { publicToken, metadata } = await post('/api/fake-link', { linkToken });
      await connected(publicToken, metadata);
    }
  } catch (error) {
    fail(error);
  }
});

function fail(error) {
  status.textContent = 'Error: ' + error.message;
  status.dataset.state = 'error';
}
</script>
</body>
</html>`;
}

/**
 * The operators' web console: sign-in with a token, then the flow map, connector pages,
 * dead-letter triage, "where is X?", the business dashboard and the audit trail. Pages are
 * addressed by the hash (#/flow, #/connectors/<name>, #/dead-letters, #/track/<id>,
 * #/dashboard, #/audit), so every view can be bookmarked and the back button works.
 */
import { api, onSignedOut, signIn, signOut, token } from './api.js';
import { html, render, useEffect, useRef, useState } from './lib.js';
import { Announcer, ErrorNote } from './parts/common.js';
import { AuditPage } from './pages/audit.js';
import { ConnectorPage } from './pages/connector.js';
import { DashboardPage } from './pages/dashboard.js';
import { DeadLettersPage } from './pages/dead-letters.js';
import { FlowMapPage } from './pages/flow-map.js';
import { TrackPage } from './pages/track.js';

const NAV = [
  { href: '#/flow', label: 'Flow map', match: /^\/(flow|connectors)/ },
  { href: '#/dead-letters', label: 'Dead letters', match: /^\/dead-letters/ },
  { href: '#/track', label: 'Track', match: /^\/track/ },
  { href: '#/dashboard', label: 'Dashboard', match: /^\/dashboard/ },
  { href: '#/audit', label: 'Audit', match: /^\/audit/ },
];

function currentRoute() {
  const path = decodeURIComponent(location.hash.replace(/^#/, '')) || '/flow';
  return path.startsWith('/') ? path : `/${path}`;
}

function SignIn({ message, onSignedIn }) {
  const [value, setValue] = useState('');
  const [error, setError] = useState(undefined);
  const field = useRef(null);
  useEffect(() => field.current?.focus(), []);
  const submit = async (event) => {
    event.preventDefault();
    signIn(value);
    try {
      onSignedIn(await api('/api/session'));
    } catch (failure) {
      signOut();
      setError(failure);
    }
  };
  return html`
    <main id="content" class="sign-in">
      <h1>Switchboard console</h1>
      <p>Sign in with an admin API token. <code>switchboard up</code> wrote one for you to <code>.switchboard/admin-token</code>;
        others come from <code>switchboard tokens create &lt;name&gt; --role viewer|operator|admin</code>.</p>
      ${message ? html`<p class="error" role="alert">${message}</p>` : null}
      <form onSubmit=${submit}>
        <label for="token">Token</label>
        <input id="token" ref=${field} type="password" autocomplete="off" spellcheck="false" required value=${value} onInput=${(event) => setValue(event.currentTarget.value)} />
        <p class="hint">Kept in this tab only (sessionStorage) and sent as a bearer token.</p>
        <button type="submit" class="primary" disabled=${value.trim() === ''}>Sign in</button>
      </form>
      <${ErrorNote} error=${error} />
    </main>`;
}

function Page({ route, session }) {
  const [, section, ...rest] = route.split('/');
  switch (section) {
    case 'connectors': return html`<${ConnectorPage} name=${rest[0]} session=${session} />`;
    case 'dead-letters': return html`<${DeadLettersPage} session=${session} connector=${rest[0]} id=${rest[1]} />`;
    case 'track': return html`<${TrackPage} session=${session} query=${rest.join('/')} />`;
    case 'dashboard': return html`<${DashboardPage} session=${session} />`;
    case 'audit': return html`<${AuditPage} session=${session} />`;
    default: return html`<${FlowMapPage} session=${session} />`;
  }
}

function App() {
  const [session, setSession] = useState(undefined);
  const [checking, setChecking] = useState(Boolean(token()));
  const [message, setMessage] = useState(undefined);
  const [route, setRoute] = useState(currentRoute());
  const main = useRef(null);

  useEffect(() => {
    const onHash = () => setRoute(currentRoute());
    window.addEventListener('hashchange', onHash);
    const off = onSignedOut((why) => { setSession(undefined); setMessage(`Signed out: ${why ?? 'the token is not valid any more'}`); });
    if (token()) api('/api/session').then(setSession, () => signOut()).finally(() => setChecking(false));
    return () => { window.removeEventListener('hashchange', onHash); off(); };
  }, []);
  // A new page: move the focus to its content, as a screen reader user expects after following a link.
  useEffect(() => { main.current?.focus({ preventScroll: true }); }, [route.split('/')[1]]);

  if (checking) return html`<p class="loading">Checking your token…</p>`;
  if (!session) return html`<${SignIn} message=${message} onSignedIn=${(next) => { setMessage(undefined); setSession(next); }} />`;
  return html`
    <a class="skip" href="#content" onClick=${(event) => { event.preventDefault(); main.current?.focus(); }}>Skip to content</a>
    <header class="top">
      <a class="brand" href="#/flow">Switchboard</a>
      <nav aria-label="Console">
        <ul>${NAV.map((item) => html`<li><a href=${item.href} aria-current=${item.match.test(route) ? 'page' : undefined}>${item.label}</a></li>`)}</ul>
      </nav>
      <div class="who">
        <span>${session.name} <span class="badge muted">${session.role}</span></span>
        <button type="button" onClick=${() => { signOut(); setSession(undefined); setMessage('Signed out.'); }}>Sign out</button>
      </div>
    </header>
    <main id="content" ref=${main} tabIndex="-1">
      <${Page} route=${route} session=${session} />
    </main>
    <${Announcer} />`;
}

const root = document.getElementById('app');
// The static "Loading…" line is replaced, not kept beside the app.
root.textContent = '';
render(html`<${App} />`, root);

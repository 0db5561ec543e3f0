/**
 * The IDE page's own script (served as /ide/<version>/ide.js, never inline): a sign-in helper above GraphiQL
 * that keeps the access token in sessionStorage and adds it to every request unless the header editor already
 * sets Authorization (an API key, another token).
 */
export const IDE_CLIENT_JS = `(function () {
  'use strict';
  var KEY = 'vneid.accessToken';
  var LOGIN = 'mutation SignIn($u: String!, $p: String!) { login(input: { username: $u, password: $p }) { accessToken expiresAt principal { displayName } } }';
  var $ = function (id) { return document.getElementById(id); };
  function status(text) { $('ide-status').textContent = text; }
  function show() {
    var signedIn = !!sessionStorage.getItem(KEY);
    $('ide-signin').hidden = signedIn;
    $('ide-signout').hidden = !signedIn;
    status(signedIn ? 'Signed in as ' + (sessionStorage.getItem(KEY + '.who') || '?') + ': requests carry its access token.' : 'Not signed in: sign in, or set an Authorization header below.');
  }
  $('ide-signin').addEventListener('submit', function (e) {
    e.preventDefault();
    status('Signing in…');
    fetch(document.body.dataset.endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json' },
      body: JSON.stringify({ query: LOGIN, variables: { u: $('ide-username').value, p: $('ide-password').value } })
    }).then(function (r) { return r.json(); }).then(function (r) {
      if (r.errors && r.errors.length) { status('Sign-in refused: ' + r.errors[0].message); return; }
      sessionStorage.setItem(KEY, r.data.login.accessToken);
      sessionStorage.setItem(KEY + '.who', r.data.login.principal.displayName);
      $('ide-password').value = '';
      show();
    }).catch(function (err) { status('Sign-in failed: ' + err.message); });
  });
  $('ide-signout').addEventListener('click', function () { sessionStorage.removeItem(KEY); sessionStorage.removeItem(KEY + '.who'); show(); });
  var base = GraphiQL.createFetcher({ url: document.body.dataset.endpoint });
  function fetcher(params, options) {
    var headers = Object.assign({}, (options && options.headers) || {});
    var hasAuth = Object.keys(headers).some(function (h) { return h.toLowerCase() === 'authorization'; });
    var token = sessionStorage.getItem(KEY);
    if (token && !hasAuth) headers.Authorization = 'Bearer ' + token;
    return base(params, Object.assign({}, options, { headers: headers }));
  }
  show();
  var defaultQuery = '# Sign in above (demo accounts: password vneid-demo-2025), then run:\\n' +
    '{\\n  me { principal { displayName grants { role unit { code name } } } }\\n}\\n';
  ReactDOM.createRoot($('ide-graphiql')).render(React.createElement(GraphiQL, {
    fetcher: fetcher, defaultQuery: defaultQuery, isHeadersEditorEnabled: true, shouldPersistHeaders: false
  }));
})();
`;

export const IDE_CSS = `
html, body { height: 100%; margin: 0; font-family: system-ui, sans-serif; }
body { display: flex; flex-direction: column; }
#ide-bar { display: flex; gap: 0.75rem; align-items: center; padding: 0.4rem 0.75rem; border-bottom: 1px solid #ddd; font-size: 0.9rem; flex-wrap: wrap; }
#ide-bar form { display: flex; gap: 0.4rem; align-items: center; }
#ide-bar strong { margin-right: 0.5rem; }
#ide-status { color: #555; }
#ide-graphiql { flex: 1; min-height: 0; }
`;

// The embedded OpenID provider: panva's oidc-provider (OpenID Certified), configured from data.
//
//   node server.mjs   with  IDP_PORT (0: any free port), IDP_HOST (127.0.0.1; 0.0.0.0 in a
//                           container), IDP_ISSUER (default: its own address),
//                           IDP_DATA (users and clients, JSON),
//                           IDP_KEYS (private JWKS file; created on first start),
//                           IDP_EXIT_WITH_PARENT=1 (exit when stdin closes: the starting
//                           process gave it a pipe and is gone, even if it was killed)
//
// Prints one JSON line {"port": ..., "issuer": ...} on stdout once it listens.
//
// Only the login page is ours: a user name and password form checked against IDP_DATA. A
// login is always a fresh authentication (`auth_time`), which electronic signatures rely on.
// Access tokens are JWTs for the gateway's audience (RFC 9068 via resource indicators) and
// carry the person's name, roles and auth_time.
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import querystring from 'node:querystring';

import Provider from 'oidc-provider';

if (process.env.IDP_EXIT_WITH_PARENT === '1') {
  // A parent killed without cleanup (a test timeout, SIGKILL) must not leave us running.
  process.stdin.on('end', () => process.exit(0));
  process.stdin.on('error', () => process.exit(0));
  process.stdin.resume();
}

const server = http.createServer();
await new Promise((resolve) => { server.listen(Number(process.env.IDP_PORT || 0), process.env.IDP_HOST || '127.0.0.1', resolve); });
const { port } = server.address();
const issuer = process.env.IDP_ISSUER || `http://127.0.0.1:${port}`;
const data = JSON.parse(fs.readFileSync(process.env.IDP_DATA, 'utf8'));
const keysFile = process.env.IDP_KEYS;

// For tests only: pretend the clock is this many seconds behind, so this instance issues
// genuinely signed tokens that are already stale or expired. Never set in the demo.
const clockOffset = Number(process.env.IDP_TEST_CLOCK_OFFSET_SECONDS || 0);
if (clockOffset) {
  const realNow = Date.now;
  Date.now = () => realNow() - clockOffset * 1000;
}

function signingKeys() {
  if (keysFile && fs.existsSync(keysFile)) return JSON.parse(fs.readFileSync(keysFile, 'utf8'));
  const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = privateKey.export({ format: 'jwk' });
  const keys = { keys: [{ ...jwk, kid: crypto.randomUUID(), alg: 'RS256', use: 'sig' }] };
  if (keysFile) {
    fs.mkdirSync(path.dirname(keysFile), { recursive: true });
    fs.writeFileSync(keysFile, JSON.stringify(keys), { mode: 0o600 });
  }
  return keys;
}

const users = new Map(data.users.map((u) => [u.username, u]));
const audience = data.audience;
const htmlEscape = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function passwordMatches(user, password) {
  const given = crypto.createHash('sha256').update(String(password)).digest();
  const expected = crypto.createHash('sha256').update(String(user.password)).digest();
  return crypto.timingSafeEqual(given, expected);
}

const provider = new Provider(issuer, {
  clients: data.clients,
  jwks: signingKeys(),
  cookies: { keys: [crypto.randomBytes(32).toString('hex')] },
  extraClientMetadata: { properties: ['access_token_ttl'] },
  claims: { openid: ['sub'], profile: ['name', 'preferred_username'], roles: ['roles'] },
  scopes: ['openid', 'profile', 'roles', 'offline_access'],
  pkce: { required: () => true },
  async findAccount(_ctx, sub) {
    const user = users.get(sub);
    if (!user) return undefined;
    return {
      accountId: sub,
      async claims() {
        return { sub, name: user.name, preferred_username: sub, roles: user.roles };
      },
    };
  },
  features: {
    devInteractions: { enabled: false },
    resourceIndicators: {
      enabled: true,
      defaultResource: () => audience,
      useGrantedResource: () => true,
      getResourceServerInfo(_ctx, resourceIndicator, client) {
        const known = [audience, ...(data.other_audiences || [])];
        if (!known.includes(resourceIndicator)) throw new Error(`unknown resource ${resourceIndicator}`);
        return {
          scope: 'openid profile roles',
          audience: resourceIndicator,
          accessTokenTTL: client?.access_token_ttl || data.access_token_ttl || 600,
          accessTokenFormat: 'jwt',
        };
      },
    },
  },
  async extraTokenClaims(ctx, token) {
    if (token.kind !== 'AccessToken') return undefined;
    const user = users.get(token.accountId);
    const entities = ctx.oidc.entities;
    const grant = entities.AuthorizationCode || entities.RefreshToken || entities.DeviceCode;
    return {
      name: user?.name,
      preferred_username: token.accountId,
      roles: user?.roles || [],
      auth_time: grant?.authTime,
    };
  },
  interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
  ttl: {
    AccessToken: (_ctx, _token, client) => client?.access_token_ttl || data.access_token_ttl || 600,
    Session: 3600,
    Grant: 3600,
  },
});
provider.proxy = false;

function loginPage(uid, message, username = '') {
  return `<!doctype html><html><head><title>plantflow sign-in</title></head><body>
<h1>plantflow sign-in</h1>${message ? `<p role="alert">${htmlEscape(message)}</p>` : ''}
<form method="post" action="/interaction/${htmlEscape(uid)}/login">
<label>User <input name="username" value="${htmlEscape(username)}" autofocus></label>
<label>Password <input name="password" type="password"></label>
<button type="submit">Sign in</button></form></body></html>`;
}

async function readForm(ctx) {
  const chunks = [];
  for await (const chunk of ctx.req) chunks.push(chunk);
  return querystring.parse(Buffer.concat(chunks).toString('utf8'));
}

// The interaction routes: a login form; consent is granted for the first-party clients.
provider.use(async (ctx, next) => {
  const match = ctx.path.match(/^\/interaction\/([\w-]+)(\/login)?$/);
  if (!match) return next();
  const details = await provider.interactionDetails(ctx.req, ctx.res);
  if (ctx.method === 'POST' && match[2]) {
    const form = await readForm(ctx);
    const user = users.get(String(form.username || ''));
    if (!user || !passwordMatches(user, form.password || '')) {
      ctx.status = 401;
      ctx.type = 'html';
      ctx.body = loginPage(details.uid, 'Unknown user or wrong password.', form.username);
      return undefined;
    }
    const result = { login: { accountId: user.username } };
    return provider.interactionFinished(ctx.req, ctx.res, result, { mergeWithLastSubmission: false });
  }
  if (details.prompt.name === 'consent') {
    const grant = details.grantId
      ? await provider.Grant.find(details.grantId)
      : new provider.Grant({ accountId: details.session.accountId, clientId: details.params.client_id });
    grant.addOIDCScope(String(details.params.scope || 'openid'));
    const resource = details.params.resource || audience;
    grant.addResourceScope(resource, 'openid profile roles');
    const grantId = await grant.save();
    return provider.interactionFinished(ctx.req, ctx.res, { consent: { grantId } }, {
      mergeWithLastSubmission: true,
    });
  }
  ctx.type = 'html';
  ctx.body = loginPage(details.uid, '');
  return undefined;
});

server.on('request', provider.callback());
process.stdout.write(`${JSON.stringify({ port, issuer })}\n`);

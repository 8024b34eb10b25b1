// A real OpenID Connect provider (the npm package oidc-provider) for the console's
// single sign-on tests. tests/sso/conftest.py starts it with node on a free loopback port:
//
//   SSO_PORT=PORT SSO_REDIRECT_URI=URL SSO_CLIENT_SECRET=SECRET node provider.mjs
//
// Its own login and consent forms (devInteractions) accept any login with any password;
// the login is the account's id. USERS gives some of them groups. Each start makes a new
// RSA signing key with a new key id, so restarting it on the same port is a key rotation.
// It prints "ready ISSUER" once listening, and one "jwks" line whenever its key set is read.
import { generateKeyPairSync, randomUUID } from 'node:crypto';

import Provider from 'oidc-provider';

const port = Number(process.env.SSO_PORT);
const redirectUri = process.env.SSO_REDIRECT_URI;
const secret = process.env.SSO_CLIENT_SECRET;
const issuer = `http://127.0.0.1:${port}`;

// Who may sign in, and the groups the newsroom's directory puts them in.
const USERS = {
  jane: { name: 'Jane Park', groups: ['newsroom', 'desk-admins'] },
  minji: { name: '김민지', groups: ['newsroom', 'desk-korean'] },
  sports: { name: 'Sports Desk', groups: ['desk-korean', 'desk-english'] },
  sam: { name: 'Sam Reporter', groups: ['newsroom'] },
};

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const signing = { ...privateKey.export({ format: 'jwk' }), kid: randomUUID(), alg: 'RS256', use: 'sig' };

// Two clients with the same redirect: the console, and another newsroom application whose
// tokens the console must never accept.
const client = (id) => ({
  client_id: id,
  client_secret: secret,
  redirect_uris: [redirectUri],
  response_types: ['code'],
  grant_types: ['authorization_code'],
  token_endpoint_auth_method: 'client_secret_basic',
});

const provider = new Provider(issuer, {
  clients: [client('commentdesk'), client('other-app')],
  jwks: { keys: [signing] },
  cookies: { keys: [randomUUID()] },
  claims: {
    openid: ['sub'],
    profile: ['name', 'preferred_username'],
    groups: ['groups'],
  },
  scopes: ['openid', 'profile', 'groups'],
  pkce: { required: () => true },
  ttl: { IdToken: 3600, AccessToken: 3600, AuthorizationCode: 600, Grant: 3600, Session: 3600, Interaction: 600 },
  async findAccount(ctx, id) {
    const user = USERS[id] ?? { name: id, groups: [] };
    return {
      accountId: id,
      async claims() {
        return { sub: id, name: user.name, preferred_username: id, groups: user.groups };
      },
    };
  },
});

provider.use(async (ctx, next) => {
  if (ctx.path === '/jwks') console.log('jwks');
  await next();
});

// Quiet: the tests read stdout; warnings about development-only features go to stderr.
provider.listen(port, '127.0.0.1', () => console.log(`ready ${issuer}`));

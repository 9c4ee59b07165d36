#!/usr/bin/env node
// Makes SAML Responses with Auth0's own libraries: npm `samlp` (its getSamlResponse, which
// builds the Assertion with npm `saml` Saml20.create and wraps/signs the samlp:Response with
// xml-crypto exactly as the samlp middleware does). Run: npm ci && node make.js
'use strict';
const fs = require('fs');
const path = require('path');

// ---- fixed clock -------------------------------------------------------------------------
// saml uses moment.utc() (which reads Date.now()), samlp uses `new Date()`. Replace the global
// Date before loading the libraries so both see 2026-11-28T15:21:01.288Z.
const FIXED = Date.UTC(2026, 10, 28, 15, 21, 1, 288);
const RealDate = Date;
class FixedDate extends RealDate {
  constructor(...args) { if (args.length === 0) super(FIXED); else super(...args); }
  static now() { return FIXED; }
}
global.Date = FixedDate;

const samlp = require('samlp');
const samlpUtils = require('samlp/lib/utils');
// ---- fixed Response ID (samlp draws 20 random hex chars; the Assertion ID is `options.uid`)
samlpUtils.generateUniqueID = () => 'auth0response1';

const pkg = (name) => require(name + '/package.json').version;
const VERSIONS = `saml ${pkg('saml')} / samlp ${pkg('samlp')} / xml-crypto ${pkg('xml-crypto')}`;

const KEYS = path.join(__dirname, '..', '..', 'keys');
const key = fs.readFileSync(path.join(KEYS, 'rsa-2048.pkcs8.pem'));
const cert = fs.readFileSync(path.join(KEYS, 'rsa-2048.cert.pem'));

const EMAIL = 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress';
const GROUP = 'http://schemas.xmlsoap.org/claims/Group';

// samlp maps a user to claims with a "profile mapper"; this one gives exactly our login.
function profileMapper(user) {
  return {
    getClaims: () => ({ [EMAIL]: user.email, [GROUP]: user.groups }),
    getNameIdentifier: () => ({
      nameIdentifier: user.email,
      nameIdentifierFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
    }),
  };
}

const USER = { email: 'jane.doe@example.com', groups: ['admins', 'devs'] };

function base(extra) {
  return Object.assign({
    profileMapper,
    issuer: 'urn:foreign-idp.example',
    audience: 'https://sso.heroku.com/saml/acme',
    destination: 'https://sso.heroku.com/saml/acme/finalize',
    recipient: 'https://sso.heroku.com/saml/acme/finalize',
    inResponseTo: '_request1',
    lifetimeInSeconds: 3600,
    sessionIndex: '_session1',
    uid: 'auth0assertion1', // not passed on by samlp 8 (see README): the Assertion ID stays random
    key,
    cert,
  }, extra);
}

const FIXTURES = [
  { file: 'assertion-sha256.xml', signed: ['Assertion'], sig: 'rsa-sha256', digest: 'sha256',
    opts: { signatureAlgorithm: 'rsa-sha256', digestAlgorithm: 'sha256' } },
  { file: 'assertion-sha1.xml', signed: ['Assertion'], sig: 'rsa-sha1', digest: 'sha1',
    opts: { signatureAlgorithm: 'rsa-sha1', digestAlgorithm: 'sha1' } },
  { file: 'response-sha256.xml', signed: ['Response'], sig: 'rsa-sha256', digest: 'sha256',
    opts: { signResponse: true, signAssertion: false, signatureAlgorithm: 'rsa-sha256', digestAlgorithm: 'sha256' } },
  { file: 'both-sha256.xml', signed: ['Response', 'Assertion'], sig: 'rsa-sha256', digest: 'sha256',
    opts: { signResponse: true, signatureAlgorithm: 'rsa-sha256', digestAlgorithm: 'sha256' } },
  { file: 'unsolicited-sha256.xml', signed: ['Assertion'], sig: 'rsa-sha256', digest: 'sha256',
    opts: { inResponseTo: undefined, signatureAlgorithm: 'rsa-sha256', digestAlgorithm: 'sha256' } },
  // No algorithm options at all: saml 4 signs the Assertion rsa-sha256/sha256 by default, but
  // samlp's Response signer passes `undefined` to xml-crypto, whose default is rsa-sha1/sha1.
  // (The samlp.auth() middleware fills in rsa-sha256/sha256 before it gets here.)
  { file: 'defaults-both.xml', signed: ['Response', 'Assertion'], sig: 'rsa-sha1', digest: 'sha1',
    algorithms: { Response: ['rsa-sha1', 'sha1'], Assertion: ['rsa-sha256', 'sha256'] },
    opts: { signResponse: true } },
];

function getSamlResponse(opts) {
  return new Promise((resolve, reject) =>
    samlp.getSamlResponse(opts, USER, (err, xml) => (err ? reject(err) : resolve(xml))));
}

(async () => {
  const made = [];
  for (const f of FIXTURES) {
    // Fix Math.random per fixture so the (unavoidably random) Assertion ID is reproducible.
    let seed = 12345;
    Math.random = () => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648; };
    const xml = await getSamlResponse(base(f.opts));
    fs.writeFileSync(path.join(__dirname, f.file), xml);
    made.push({ file: f.file, tool: VERSIONS, signed: f.signed, signature: f.sig, digest: f.digest,
                in_response_to: f.opts.hasOwnProperty('inResponseTo') ? null : '_request1',
                algorithms: f.algorithms });
    console.log('wrote', f.file);
  }
  fs.writeFileSync(path.join(__dirname, 'made.json'), JSON.stringify(made, null, 2) + '\n');
})().catch((e) => { console.error(e); process.exit(1); });

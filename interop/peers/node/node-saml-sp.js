// @node-saml/node-saml (passport-saml's core) as a Heroku-like service provider over a
// manifest of samlkit documents. Usage: node node-saml-sp.js MANIFEST RESULTS.
// IdP certificate from samlkit's IdP metadata; audience and ACS from the manifest; the issuer
// checked (idpIssuer); signatures wanted as the document's mode says; InResponseTo not tracked
// (unsolicited, as Heroku allows); the clock frozen at the manifest's check_at.
'use strict';
const fs = require('fs');
const run = require('./sp-runner');
const { SAML } = require('@node-saml/node-saml');

function certificate(metadataPath) {
  const m = /<(?:\w+:)?X509Certificate>([^<]+)</.exec(fs.readFileSync(metadataPath, 'utf8'));
  return m[1].replace(/\s+/g, '');
}

run(
  () => {},
  async (manifest, doc, base64) => {
    const saml = new SAML({
      callbackUrl: manifest.acs,
      issuer: manifest.audience,
      audience: manifest.audience,
      idpIssuer: manifest.issuer,
      idpCert: certificate(doc.metadata),
      wantAssertionsSigned: doc.mode !== 'response',
      wantAuthnResponseSigned: doc.mode !== 'assertion',
      validateInResponseTo: 'never',
      acceptedClockSkewMs: 0,
    });
    const { profile } = await saml.validatePostResponseAsync({ SAMLResponse: base64 });
    return profile ? profile.nameID : null;
  },
);

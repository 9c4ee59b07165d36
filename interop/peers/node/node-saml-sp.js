// @node-saml/node-saml (passport-saml's core) as a Heroku-like service provider over a
// manifest of samlkit documents. Usage: node node-saml-sp.js MANIFEST RESULTS.
// IdP certificate from samlkit's IdP metadata; audience and ACS from the manifest; the issuer
// checked (idpIssuer); signatures wanted as the document's mode says; InResponseTo not tracked
// (unsolicited, as Heroku allows); the clock frozen at the manifest's check_at.
'use strict';
const fs = require('fs');
const freeze = require('./frozen-clock');
const { SAML } = require('@node-saml/node-saml');

const [manifestPath, resultsPath] = process.argv.slice(2);
const manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8'));
freeze(manifest.check_at);

function certificate(metadataPath) {
  const m = /<(?:\w+:)?X509Certificate>([^<]+)</.exec(fs.readFileSync(metadataPath, 'utf8'));
  return m[1].replace(/\s+/g, '');
}

(async () => {
  const results = [];
  for (const doc of manifest.documents) {
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
    const r = { name: doc.name, ok: false, error: null };
    try {
      const { profile } = await saml.validatePostResponseAsync({
        SAMLResponse: fs.readFileSync(doc.file).toString('base64'),
      });
      r.ok = true;
      r.name_id = profile ? profile.nameID : null;
    } catch (e) {
      r.error = String((e && e.message) || e);
    }
    results.push(r);
  }
  fs.writeFileSync(resultsPath, JSON.stringify(results));
})().catch((e) => {
  console.error(e);
  process.exit(1);
});

// samlify as a Heroku-like service provider over a manifest of samlkit documents.
// Usage: node samlify-sp.js MANIFEST RESULTS. The IdP from samlkit's IdP metadata; the SP's
// entity ID and ACS from the manifest; signatures wanted as the document's mode says; the clock
// frozen at the manifest's check_at. samlify needs a schema validator plugged in: none is
// (its documented way to skip XSD validation), so what is judged is samlify's own checks.
'use strict';
const fs = require('fs');
const freeze = require('./frozen-clock');
const saml = require('samlify');

const [manifestPath, resultsPath] = process.argv.slice(2);
const manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8'));
freeze(manifest.check_at);
saml.setSchemaValidator({ validate: () => Promise.resolve('skipped') });
const POST = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST';

(async () => {
  const results = [];
  for (const doc of manifest.documents) {
    const idp = saml.IdentityProvider({ metadata: fs.readFileSync(doc.metadata, 'utf8') });
    const sp = saml.ServiceProvider({
      entityID: manifest.audience,
      assertionConsumerService: [{ Binding: POST, Location: manifest.acs }],
      wantAssertionsSigned: doc.mode !== 'response',
      wantMessageSigned: doc.mode !== 'assertion',
    });
    const r = { name: doc.name, ok: false, error: null };
    try {
      const { extract } = await sp.parseLoginResponse(idp, 'post', {
        body: { SAMLResponse: fs.readFileSync(doc.file).toString('base64') },
      });
      r.ok = true;
      r.name_id = extract ? extract.nameID : null;
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

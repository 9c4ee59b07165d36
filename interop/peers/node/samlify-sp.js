// samlify as a Heroku-like service provider over a manifest of samlkit documents.
// Usage: node samlify-sp.js MANIFEST RESULTS. The IdP from samlkit's IdP metadata; the SP's
// entity ID and ACS from the manifest; signatures wanted as the document's mode says; the clock
// frozen at the manifest's check_at. samlify needs a schema validator plugged in: none is
// (its documented way to skip XSD validation), so what is judged is samlify's own checks.
'use strict';
const fs = require('fs');
const run = require('./sp-runner');
const saml = require('samlify');

const POST = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST';

run(
  () => saml.setSchemaValidator({ validate: () => Promise.resolve('skipped') }),
  async (manifest, doc, base64) => {
    const idp = saml.IdentityProvider({ metadata: fs.readFileSync(doc.metadata, 'utf8') });
    const sp = saml.ServiceProvider({
      entityID: manifest.audience,
      assertionConsumerService: [{ Binding: POST, Location: manifest.acs }],
      wantAssertionsSigned: doc.mode !== 'response',
      wantMessageSigned: doc.mode !== 'assertion',
    });
    const { extract } = await sp.parseLoginResponse(idp, 'post', { body: { SAMLResponse: base64 } });
    return extract ? extract.nameID : null;
  },
);

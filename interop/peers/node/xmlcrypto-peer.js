#!/usr/bin/env node
// xml-crypto (npm, pure JavaScript: its own exclusive c14n over @xmldom/xmldom, not libxml2) as
// verifier of samlkit's signatures and as signer for samlkit's Validator.
// Usage: node xmlcrypto-peer.js MANIFEST RESULTS   ->  {"results": [...], "signed": [...]}
// Verify: every Signature of the document is loaded and checked with the document's certificate
// pinned (KeyInfo ignored), and the element it signed must carry the expected ID. Sign: for every
// 2048-bit document accepted by design, all Signatures are removed and xml-crypto signs the same
// elements again (Assertion first), each Signature placed after the element's Issuer.
'use strict';
const fs = require('fs');
const path = require('path');
const { DOMParser, XMLSerializer } = require('@xmldom/xmldom');
const { SignedXml } = require('xml-crypto');

const DS = 'http://www.w3.org/2000/09/xmldsig#';
const EXC = 'http://www.w3.org/2001/10/xml-exc-c14n#';
const ENVELOPED = 'http://www.w3.org/2000/09/xmldsig#enveloped-signature';
const [manifestPath, resultsPath] = process.argv.slice(2);
const manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8'));
const outDir = path.join(manifest.dir, 'xml-crypto-signed');
fs.mkdirSync(outDir, { recursive: true });

function signatures(doc) {
  return Array.from(doc.getElementsByTagNameNS(DS, 'Signature'));
}

function verify(d) {
  const xml = fs.readFileSync(d.file, 'utf8');
  const cert = fs.readFileSync(d.cert, 'utf8');
  const doc = new DOMParser().parseFromString(xml, 'text/xml');
  const sigs = signatures(doc);
  if (sigs.length !== d.signed.length) throw new Error(`${sigs.length} signatures, expected ${d.signed.length}`);
  for (const node of sigs) {
    const parentId = node.parentNode.getAttribute('ID');
    if (!d.signed.some((s) => s.id === parentId)) throw new Error(`unexpected signature in ${parentId}`);
    const sig = new SignedXml({ publicCert: cert, getCertFromKeyInfo: () => null });
    sig.loadSignature(node);
    if (!sig.checkSignature(xml)) throw new Error(`signature of ${parentId} does not verify`);
    const signed = sig.getSignedReferences();
    if (signed.length !== 1 || !signed[0].includes(`ID="${parentId}"`)) {
      throw new Error(`xml-crypto verified something other than ${parentId}`);
    }
  }
}

function sign(d) {
  const doc = new DOMParser().parseFromString(fs.readFileSync(d.file, 'utf8'), 'text/xml');
  for (const s of signatures(doc)) s.parentNode.removeChild(s);
  let xml = new XMLSerializer().serializeToString(doc);
  const key = fs.readFileSync(d.key);
  const cert = fs.readFileSync(d.cert);
  const order = [...d.signed].sort((a, b) => (a.element === 'Assertion' ? -1 : 1) - (b.element === 'Assertion' ? -1 : 1));
  for (const s of order) {
    const sig = new SignedXml({ privateKey: key, publicCert: cert, signatureAlgorithm: d.signature_uri, canonicalizationAlgorithm: EXC });
    const target = `//*[@ID='${s.id}']`;
    sig.addReference({ xpath: target, digestAlgorithm: d.digest_uri, transforms: [ENVELOPED, EXC] });
    sig.computeSignature(xml, { location: { reference: `${target}/*[local-name()='Issuer']`, action: 'after' } });
    xml = sig.getSignedXml();
  }
  const file = path.join(outDir, `${d.name}.xml`);
  fs.writeFileSync(file, xml);
  return file;
}

const results = [];
const signedFiles = [];
for (const d of manifest.documents) {
  const r = { name: d.name, ok: false, error: null };
  try {
    verify(d);
    r.ok = true;
  } catch (e) {
    r.error = String(e && e.message ? e.message : e);
  }
  results.push(r);
  if (d.expect === 'accept' && d.bits === 2048) {
    try {
      signedFiles.push({ name: d.name, file: sign(d), error: null });
    } catch (e) {
      signedFiles.push({ name: d.name, file: null, error: String(e && e.message ? e.message : e) });
    }
  }
}
fs.writeFileSync(resultsPath, JSON.stringify({ results, signed: signedFiles }));

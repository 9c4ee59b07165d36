#!/usr/bin/env node
// Auth0's own libraries (npm samlp 8 / saml 4) as the behavioural reference: for each document of
// the manifest, samlp builds the Response for the same settings, claims (name, values, xsi:type),
// NameID, key, fixed clock and IDs, and the two are compared element for element: names,
// prefixes, order, attributes and their order, namespace declarations, text.
// Usage: node samlp-compare.js MANIFEST RESULTS  ->  [{name, differences, samlp_file, error}],
// each difference {path, kind: element|attribute|attribute-order|text|children, samlkit, samlp}.
// Clock: Date is replaced before the libraries load (saml reads moment.utc(), samlp `new Date()`).
// IDs: samlp's generateUniqueID (Response) and saml's utils.uid (Assertion: samlp 8 does not pass
// `uid` on) are patched to give samlkit's IDs, so equal canonical forms give equal DigestValues and
// (PKCS#1 v1.5 being deterministic) equal SignatureValues.
'use strict';
const fs = require('fs');
const path = require('path');

const [manifestPath, resultsPath] = process.argv.slice(2);
const manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8'));
const FIXED = new Date(manifest.now).getTime();
const RealDate = Date;
class FixedDate extends RealDate {
  constructor(...args) { if (args.length === 0) super(FIXED); else super(...args); }
  static now() { return FIXED; }
}
global.Date = FixedDate;

const samlp = require('samlp');
const samlpUtils = require('samlp/lib/utils');
const samlUtils = require('saml/lib/utils');
const { DOMParser } = require('@xmldom/xmldom');
const outDir = path.join(manifest.dir, 'samlp');
fs.mkdirSync(outDir, { recursive: true });

function typed(text, type) {
  if (type === 'xs:double') return Number(text);
  if (type === 'xs:boolean') return text === 'true';
  return text;
}

function options(d) {
  const s = d.settings;
  const key = fs.readFileSync(d.key);
  const cert = fs.readFileSync(d.cert);
  const claims = {};
  for (const a of d.attributes) {
    const values = a.values.map((v, i) => typed(v, a.types[i]));
    claims[a.name] = values.length === 1 ? values[0] : values;
  }
  return {
    profileMapper: () => ({
      getClaims: () => claims,
      getNameIdentifier: () => ({ nameIdentifier: d.name_id.value, nameIdentifierFormat: d.name_id.format }),
    }),
    issuer: manifest.issuer,
    audience: s.audience,
    recipient: s.recipient,
    destination: s.destination,
    lifetimeInSeconds: s.lifetimeInSeconds,
    signatureAlgorithm: s.signatureAlgorithm,
    digestAlgorithm: s.digestAlgorithm,
    signResponse: s.signResponse,
    signAssertion: s.signAssertion,
    nameIdentifierFormat: s.nameIdentifierFormat,
    nameIdentifierProbes: s.nameIdentifierProbes,
    authnContextClassRef: s.authnContextClassRef,
    typedAttributes: s.typedAttributes,
    includeAttributeNameFormat: s.includeAttributeNameFormat,
    sessionIndex: d.assertion_id,
    key,
    cert,
  };
}

function describe(el) {
  return el.prefix ? `${el.prefix}:${el.localName}` : el.localName;
}

function elementChildren(el) {
  return Array.from(el.childNodes).filter((n) => n.nodeType === 1);
}

function attrs(el) {
  return Array.from(el.attributes).map((a) => [a.name, a.value]);
}

// Element-for-element comparison; each difference names the element path.
function compare(a, b, where, out) {
  if (a.namespaceURI !== b.namespaceURI || a.localName !== b.localName || a.prefix !== b.prefix) {
    out.push({ path: where, kind: 'element', samlkit: `${describe(a)} {${a.namespaceURI}}`, samlp: `${describe(b)} {${b.namespaceURI}}` });
    return;
  }
  const here = `${where}/${describe(a)}`;
  const aa = attrs(a);
  const ba = attrs(b);
  const am = new Map(aa);
  const bm = new Map(ba);
  for (const [k, v] of aa) {
    if (!bm.has(k)) out.push({ path: `${here}/@${k}`, kind: 'attribute', samlkit: v, samlp: null });
    else if (bm.get(k) !== v) out.push({ path: `${here}/@${k}`, kind: 'attribute', samlkit: v, samlp: bm.get(k) });
  }
  for (const [k, v] of ba) if (!am.has(k)) out.push({ path: `${here}/@${k}`, kind: 'attribute', samlkit: null, samlp: v });
  const common = (list, other) => list.map(([k]) => k).filter((k) => other.has(k));
  const ao = common(aa, bm).join(' ');
  const bo = common(ba, am).join(' ');
  if (ao !== bo) out.push({ path: here, kind: 'attribute-order', samlkit: ao, samlp: bo });
  const ac = elementChildren(a);
  const bc = elementChildren(b);
  if (ac.length === 0 && bc.length === 0) {
    if (a.textContent !== b.textContent) out.push({ path: here, kind: 'text', samlkit: a.textContent, samlp: b.textContent });
    return;
  }
  const an = ac.map(describe).join(' ');
  const bn = bc.map(describe).join(' ');
  if (an !== bn) out.push({ path: here, kind: 'children', samlkit: an, samlp: bn });
  for (let i = 0; i < Math.min(ac.length, bc.length); i++) compare(ac[i], bc[i], `${here}[${i}]`, out);
}

function getSamlResponse(opts) {
  return new Promise((resolve, reject) =>
    samlp.getSamlResponse(opts, {}, (err, xml) => (err ? reject(err) : resolve(xml))));
}

(async () => {
  const pkg = (name) => require(`${name}/package.json`).version;
  const results = [];
  for (const d of manifest.documents) {
    samlpUtils.generateUniqueID = () => d.response_id.slice(1);
    samlUtils.uid = () => d.assertion_id.slice(1);
    let seed = 12345;
    Math.random = () => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648; };
    const r = { name: d.name, differences: [], error: null, versions: `samlp ${pkg('samlp')} / saml ${pkg('saml')}` };
    try {
      const theirs = await getSamlResponse(options(d));
      r.samlp_file = path.join(outDir, `${d.name}.xml`);
      fs.writeFileSync(r.samlp_file, theirs);
      const ours = new DOMParser().parseFromString(fs.readFileSync(d.file, 'utf8'), 'text/xml');
      compare(ours.documentElement, new DOMParser().parseFromString(theirs, 'text/xml').documentElement, '', r.differences);
    } catch (e) {
      r.error = String(e && e.stack ? e.stack : e);
    }
    results.push(r);
  }
  fs.writeFileSync(resultsPath, JSON.stringify(results, null, 1));
})().catch((e) => { console.error(e); process.exit(1); });

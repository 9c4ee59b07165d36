#!/usr/bin/env node
// xml-crypto's exclusive c14n (pure JavaScript over @xmldom/xmldom) for samlkit's c14n
// conformance cross-check. Usage: node xmlcrypto-c14n.js LIST RESULTS
//   LIST lines: name \t input \t apex-local-name|- \t prefixes|- \t comments(0|1) \t out
//   RESULTS lines: name \t ok|fail \t error
// The apex's in-scope ancestor namespaces are passed as xml-crypto's own verifier passes them
// (utils.findAncestorNsForElement), so InclusiveNamespaces prefixes declared above it count.
'use strict';
const fs = require('fs');
const { DOMParser } = require('@xmldom/xmldom');
const { ExclusiveCanonicalization, ExclusiveCanonicalizationWithComments } = require('xml-crypto');
const utils = require('xml-crypto/lib/utils');

const [listPath, resultsPath] = process.argv.slice(2);
const out = [];
for (const line of fs.readFileSync(listPath, 'utf8').split('\n')) {
  if (!line) continue;
  const [name, input, apexName, prefixes, comments, outFile] = line.split('\t');
  try {
    const doc = new DOMParser().parseFromString(fs.readFileSync(input, 'utf8'), 'text/xml');
    const apex = apexName === '-' ? doc.documentElement : doc.getElementsByTagNameNS('*', apexName)[0];
    const c14n = comments === '1' ? new ExclusiveCanonicalizationWithComments() : new ExclusiveCanonicalization();
    const text = c14n.process(apex, {
      inclusiveNamespacesPrefixList: prefixes === '-' ? [] : prefixes.split(' '),
      ancestorNamespaces: utils.findAncestorNsForElement(apex),
    }).toString();
    fs.writeFileSync(outFile, text, 'utf8');
    out.push(`${name}\tok\t`);
  } catch (e) {
    out.push(`${name}\tfail\t${String(e && e.message ? e.message : e).replace(/[\t\r\n]/g, ' ')}`);
  }
}
fs.writeFileSync(resultsPath, out.join('\n') + '\n');

// What the service-provider peers share: read the manifest (argv: MANIFEST RESULTS), freeze the
// clock at its check_at, give each document's base64 to `validate(doc, base64)` (which returns
// the NameID it read, or throws), and write one result per document.
'use strict';
const fs = require('fs');
const freeze = require('./frozen-clock');

module.exports = function run(setup, validate) {
  const [manifestPath, resultsPath] = process.argv.slice(2);
  const manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8'));
  freeze(manifest.check_at);
  setup();
  (async () => {
    const results = [];
    for (const doc of manifest.documents) {
      const r = { name: doc.name, ok: false, error: null };
      try {
        r.name_id = await validate(manifest, doc, fs.readFileSync(doc.file).toString('base64'));
        r.ok = true;
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
};

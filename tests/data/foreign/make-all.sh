#!/usr/bin/env bash
# Rebuilds every fixture in this folder, the manifest, and checks them all with xmlsec1.
# Needs: xmlsec1 (Debian package xmlsec1), python3, node + npm (reaches the npm registry once).
set -euo pipefail
cd "$(dirname "$0")"
./xmlsec1/make.sh
(cd auth0-samlp && npm ci --no-audit --no-fund && node make.js)
python3 manifest.py
./verify.sh

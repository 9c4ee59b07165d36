#!/usr/bin/env bash
# Regenerates the test keys and certificates in this folder (see README.md). Every file here is a
# TEST key: never use it for anything real.
set -euo pipefail
cd "$(dirname "$0")"
subj() { echo "/CN=samlkit test $1/O=samlkit tests"; }

for bits in 2048 4096; do
  openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:$bits -out rsa-$bits.pkcs8.pem
  openssl pkey -in rsa-$bits.pkcs8.pem -traditional -out rsa-$bits.pkcs1.pem
  openssl pkey -in rsa-$bits.pkcs8.pem -outform DER -out rsa-$bits.pkcs8.der
  openssl rsa -in rsa-$bits.pkcs8.pem -traditional -outform DER -out rsa-$bits.pkcs1.der
  openssl req -new -x509 -key rsa-$bits.pkcs8.pem -days 36500 -subj "$(subj rsa-$bits)" -sha256 -out rsa-$bits.cert.pem
  openssl x509 -in rsa-$bits.cert.pem -outform DER -out rsa-$bits.cert.der
done
# A second 2048-bit key, to prove a key that does not match the certificate is refused.
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out other-2048.pkcs8.pem
openssl req -new -x509 -key other-2048.pkcs8.pem -days 36500 -subj "$(subj other-2048)" -sha256 -out other-2048.cert.pem
# Too small.
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:1024 -out rsa-1024.pkcs8.pem
openssl req -new -x509 -key rsa-1024.pkcs8.pem -days 36500 -subj "$(subj rsa-1024)" -sha256 -out rsa-1024.cert.pem
# Encrypted PKCS#8 (password: samlkit).
openssl pkcs8 -topk8 -in rsa-2048.pkcs8.pem -v2 aes-256-cbc -passout pass:samlkit -out rsa-2048.encrypted.pem
# Not RSA: an EC P-256 key in PKCS#8 and SEC1 form, with its certificate.
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out ec-p256.pkcs8.pem
openssl pkey -in ec-p256.pkcs8.pem -traditional -out ec-p256.sec1.pem
openssl req -new -x509 -key ec-p256.pkcs8.pem -days 36500 -subj "$(subj ec-p256)" -sha256 -out ec-p256.cert.pem
# ECDSA signing (ecdsa-sha256, with the aws-lc-rs feature): the P-256 key in DER PKCS#8, a second
# P-256 key (mismatch tests) and a P-384 key (wrong curve: must be refused).
openssl pkey -in ec-p256.pkcs8.pem -outform DER -out ec-p256.pkcs8.der
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 | openssl pkey -traditional -out ec-p256-other.sec1.pem
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-384 -out ec-p384.pkcs8.pem
openssl req -new -x509 -key ec-p384.pkcs8.pem -days 36500 -subj "$(subj ec-p384)" -sha256 -out ec-p384.cert.pem
openssl ec -in ec-p256.pkcs8.pem -outform DER -out ec-p256.sec1.der
# Neither RSA nor EC: an Ed25519 key (must be refused by every signer).
openssl genpkey -algorithm ED25519 -out ed25519.pkcs8.pem
openssl req -new -x509 -key ed25519.pkcs8.pem -days 36500 -subj "$(subj ed25519)" -out ed25519.cert.pem
# The rsa-2048 key again, in a second certificate (another subject and serial): a re-issued
# IdP certificate in KeyInfo must select the pinned one that carries the same key.
openssl req -new -x509 -key rsa-2048.pkcs8.pem -days 36500 -subj "$(subj 'rsa-2048 re-issued')" -sha256 -out rsa-2048.reissued.cert.pem
# Far too small even for insecure_allow_rsa_1024: a 512-bit certificate (its key is not kept).
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:512 -out /tmp/rsa-512.pkcs8.pem
openssl req -new -x509 -key /tmp/rsa-512.pkcs8.pem -days 36500 -subj "$(subj rsa-512)" -sha256 -out rsa-512.cert.pem

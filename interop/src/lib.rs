//! samlkit's interop proof: the tests under `tests/` drive independent SAML and XML-DSig
//! implementations against samlkit's output and feed theirs to samlkit's verifier. Run them with
//! `.ci/run` (which installs every peer) or `cargo test -p samlkit-interop` once the peers are in
//! place (see `docs/interop.md`).

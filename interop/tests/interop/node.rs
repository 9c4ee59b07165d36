//! node peers.

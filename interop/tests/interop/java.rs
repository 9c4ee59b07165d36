//! java peers.

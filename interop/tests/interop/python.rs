//! python peers.

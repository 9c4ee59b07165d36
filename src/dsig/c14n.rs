//! Exclusive XML canonicalization (placeholder; filled in by the c14n work).

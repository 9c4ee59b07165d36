//! The hardened XML parser (placeholder; filled in by the parser work).

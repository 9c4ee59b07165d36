//! XML: the one escaping writer for everything samlkit emits, the hardened parser for everything
//! it reads, and the namespace constants.

pub(crate) mod chars;
pub(crate) mod escape;
mod name_map;
pub mod ns;
pub mod parse;
pub(crate) mod tokenize;
pub(crate) mod tree;
pub(crate) mod writer;
pub(crate) mod xs;

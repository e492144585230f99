//! The front end: HCL text to our own spanned AST.
//!
//! Architecture invariant: parsing never fails and never panics. It returns what it
//! could read plus diagnostics (V100). hcl-edit's tree is lowered once and dropped.

pub mod ast;
mod lower;
mod parse;
mod prescan;

pub use parse::{parse_expression, parse_file, parse_tree, MAX_FILE_BYTES};

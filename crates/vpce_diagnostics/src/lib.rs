//! Spans, sources, the one `Diagnostic` type, the table of every rule code, and the
//! renderers that turn diagnostics into text for people (miette) and machines (JSON).
//!
//! This crate has no internal dependencies: every other crate reports through it.

mod code;
mod diagnostic;
mod number;
pub mod render;
pub mod schema;
mod source;
mod suggest;

pub use code::{Code, Severity};
pub use diagnostic::{sort_and_dedup, Diagnostic, Label, Summary};
pub use number::thousands;
pub use source::{FileId, LineCol, Origin, SourceFile, SourceMap, Span};
pub use suggest::{did_you_mean, suggest, suggest_typo};

//! Renderers read the `Diagnostic` struct directly: no renderer parses another's text.

mod human;
mod json;

pub use human::{render_human, HumanOptions};
pub use json::{check_output_schema, render_json, to_output, CheckOutput};

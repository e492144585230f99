//! Renderers read the `Diagnostic` struct directly: no renderer parses another's text.

mod github;
mod human;
mod json;
mod sarif;

pub use github::render_github;
pub use human::{render_human, HumanOptions};
pub use json::{check_output_schema, render_json, to_output, CheckOutput};
pub use sarif::{docs_url, render_sarif};

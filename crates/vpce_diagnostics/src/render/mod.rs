//! Renderers read the `Diagnostic` struct directly: no renderer parses another's text.

mod github;
mod human;
mod json;
mod sarif;

pub use github::render_github;
pub use human::{inert, render_human, HumanOptions};
pub use json::{check_output_schema, render_json, to_output, CheckOutput};
pub use sarif::{docs_url, render_sarif};

use crate::{Diagnostic, SourceMap};

/// The command-line flag a diagnostic points into (`--var env=...`), if it does: tools
/// that annotate files get no location for it, and the message names the flag instead.
fn flag_of<'a>(d: &Diagnostic, sources: &'a SourceMap) -> Option<&'a str> {
    let file = sources.get(d.primary_span()?.file);
    (!file.is_file()).then_some(file.name.as_str())
}

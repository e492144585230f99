//! `check --format json`: the shape README.md documents, as typed structs so its JSON
//! Schema (`schemas/check-output.schema.json`) is generated from the same types.

use schemars::JsonSchema;
use serde::Serialize;

use crate::{Diagnostic, SourceMap, Span, Summary};

/// The whole output of `vpce check --format json`.
#[derive(Debug, Serialize, JsonSchema)]
#[schemars(title = "vpce check output")]
pub struct CheckOutput {
    /// Sorted by file, then byte offset, then code.
    pub diagnostics: Vec<JsonDiagnostic>,
    pub summary: Summary,
}

/// A byte range in `file`.
#[derive(Debug, Serialize, JsonSchema)]
pub struct JsonSpan {
    pub start: u32,
    pub end: u32,
}

/// Where something is: a file (relative to the configuration directory; a `--var-file`
/// as given on the command line; `--var NAME=...` for a `--var` flag), a 1-based line
/// and column, and the byte span.
#[derive(Debug, Serialize, JsonSchema)]
pub struct JsonLocation {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub span: JsonSpan,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct JsonLabel {
    #[serde(flatten)]
    pub location: JsonLocation,
    /// What is at this place; `null` for a bare marker.
    pub message: Option<String>,
}

/// One finding: its rule, what is wrong, where, and how to fix it.
#[derive(Debug, Serialize, JsonSchema)]
pub struct JsonDiagnostic {
    /// `V203`.
    pub code: String,
    /// `subnet-overlap`.
    pub name: String,
    /// `error`, `warning` or `info`.
    pub severity: String,
    pub message: String,
    /// The primary label's location (absent only for findings about no place).
    #[serde(flatten)]
    pub location: Option<JsonLocation>,
    /// The first label is the primary one.
    pub labels: Vec<JsonLabel>,
    pub help: Option<String>,
    pub notes: Vec<String>,
}

fn location(sources: &SourceMap, span: Span) -> JsonLocation {
    let file = sources.get(span.file);
    let at = file.line_col(span.start as usize);
    JsonLocation {
        file: file.name.clone(),
        line: at.line,
        column: at.column,
        span: JsonSpan {
            start: span.start,
            end: span.end,
        },
    }
}

pub fn to_output(diagnostics: &[Diagnostic], sources: &SourceMap) -> CheckOutput {
    CheckOutput {
        diagnostics: diagnostics
            .iter()
            .map(|d| JsonDiagnostic {
                code: d.code.as_str().into(),
                name: d.code.name().into(),
                severity: d.severity.as_str().into(),
                message: d.message.clone(),
                location: d.primary_span().map(|span| location(sources, span)),
                labels: d
                    .labels
                    .iter()
                    .map(|label| JsonLabel {
                        location: location(sources, label.span),
                        message: label.text.clone(),
                    })
                    .collect(),
                help: d.help.clone(),
                notes: d.notes.clone(),
            })
            .collect(),
        summary: Summary::of(diagnostics),
    }
}

/// Pretty-printed JSON with a final newline.
pub fn render_json(diagnostics: &[Diagnostic], sources: &SourceMap) -> String {
    let mut out = serde_json::to_string_pretty(&to_output(diagnostics, sources))
        .expect("the output types always serialise");
    out.push('\n');
    out
}

/// The JSON Schema of [`CheckOutput`], as committed in `schemas/`.
pub fn check_output_schema() -> String {
    crate::schema::schema_json::<CheckOutput>()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `schemas/check-output.schema.json` is generated from these types; regenerate it
    /// with `UPDATE_SCHEMAS=1 cargo test -p vpce_diagnostics`.
    #[test]
    fn committed_schema_is_fresh() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../schemas/check-output.schema.json"
        );
        crate::schema::assert_committed(
            path,
            &check_output_schema(),
            "UPDATE_SCHEMAS=1 cargo test -p vpce_diagnostics",
        );
    }
}

//! vpce's diagnostics as LSP diagnostics, grouped by the file they are in.

use std::collections::BTreeMap;

use lsp_types::{
    CodeDescription, Diagnostic, DiagnosticRelatedInformation, DiagnosticSeverity, Location,
    NumberOrString, Uri,
};
use vpce_diagnostics::{render::docs_url, Severity, Span};
use vpce_driver::Outcome;

use crate::position::{Encoding, LineIndex};

/// Diagnostics by the URI of their primary label's file (`uri_of` names a source by its
/// name in the source map; `None` for a source that is no file). A diagnostic without
/// a label goes to the first configuration file, at its start.
pub fn to_lsp(
    outcome: &Outcome,
    encoding: Encoding,
    uri_of: &dyn Fn(&str) -> Option<String>,
) -> BTreeMap<String, Vec<Diagnostic>> {
    let location = |span: Span| -> Option<(String, lsp_types::Range)> {
        let source = outcome.sources.get(span.file);
        if !source.is_file() {
            return None;
        }
        let uri = uri_of(&source.name)?;
        let index = LineIndex::new(&source.text, encoding);
        Some((uri, index.range(span.start as usize, span.end as usize)))
    };
    let first_file = outcome
        .sources
        .files()
        .next()
        .and_then(|(_, source)| uri_of(&source.name));
    let mut by_uri: BTreeMap<String, Vec<Diagnostic>> = BTreeMap::new();
    for found in &outcome.diagnostics {
        let primary = found.primary_span().and_then(location);
        let Some((uri, range)) = primary.or_else(|| {
            first_file
                .clone()
                .map(|uri| (uri, lsp_types::Range::default()))
        }) else {
            continue;
        };
        let mut message = found.message.clone();
        if let Some(text) = found.labels.first().and_then(|l| l.text.as_ref()) {
            message.push_str(&format!("\n{text}"));
        }
        for note in &found.notes {
            message.push_str(&format!("\nnote: {note}"));
        }
        if let Some(help) = &found.help {
            message.push_str(&format!("\nhelp: {help}"));
        }
        let related: Vec<DiagnosticRelatedInformation> = found
            .labels
            .iter()
            .skip(1)
            .filter_map(|label| {
                let (uri, range) = location(label.span)?;
                Some(DiagnosticRelatedInformation {
                    location: Location {
                        uri: uri.parse::<Uri>().ok()?,
                        range,
                    },
                    message: label.text.clone().unwrap_or_else(|| "here".into()),
                })
            })
            .collect();
        by_uri.entry(uri).or_default().push(Diagnostic {
            range,
            severity: Some(match found.severity {
                Severity::Error => DiagnosticSeverity::ERROR,
                Severity::Warning => DiagnosticSeverity::WARNING,
                Severity::Info => DiagnosticSeverity::INFORMATION,
            }),
            code: Some(NumberOrString::String(found.code.as_str().into())),
            code_description: docs_url(found.code)
                .parse::<Uri>()
                .ok()
                .map(|href| CodeDescription { href }),
            source: Some("vpce".into()),
            message,
            related_information: (!related.is_empty()).then_some(related),
            ..Diagnostic::default()
        });
    }
    by_uri
}

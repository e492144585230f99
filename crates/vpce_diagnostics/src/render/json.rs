use serde_json::{json, Value};

use crate::{Diagnostic, SourceMap, Span, Summary};

fn location(sources: &SourceMap, span: Span) -> Value {
    let file = sources.get(span.file);
    let at = file.line_col(span.start as usize);
    json!({
        "file": file.name,
        "line": at.line,
        "column": at.column,
        "span": {"start": span.start, "end": span.end},
    })
}

/// The JSON object of `check --format json`, as LANGUAGE.md specifies.
pub fn to_json_value(diagnostics: &[Diagnostic], sources: &SourceMap) -> Value {
    let items: Vec<Value> = diagnostics
        .iter()
        .map(|d| {
            let mut item = json!({
                "code": d.code.as_str(),
                "name": d.code.name(),
                "severity": d.severity.as_str(),
                "message": d.message,
            });
            let object = item.as_object_mut().expect("built as an object");
            match d.primary_span() {
                Some(span) => {
                    if let Value::Object(at) = location(sources, span) {
                        object.extend(at);
                    }
                }
                None => {
                    for key in ["file", "line", "column", "span"] {
                        object.insert(key.into(), Value::Null);
                    }
                }
            }
            let labels: Vec<Value> = d
                .labels
                .iter()
                .map(|label| {
                    let mut value = location(sources, label.span);
                    value["message"] = label.text.clone().map_or(Value::Null, Value::String);
                    value
                })
                .collect();
            object.insert("labels".into(), Value::Array(labels));
            object.insert(
                "help".into(),
                d.help.clone().map_or(Value::Null, Value::String),
            );
            object.insert("notes".into(), json!(d.notes));
            item
        })
        .collect();
    let summary = Summary::of(diagnostics);
    json!({
        "diagnostics": items,
        "summary": {"errors": summary.errors, "warnings": summary.warnings, "infos": summary.infos},
    })
}

/// Pretty-printed JSON with a final newline.
pub fn render_json(diagnostics: &[Diagnostic], sources: &SourceMap) -> String {
    let mut out = serde_json::to_string_pretty(&to_json_value(diagnostics, sources))
        .expect("JSON values always serialise");
    out.push('\n');
    out
}

//! SARIF 2.1.0 for code-scanning tools: one rule entry per code (with its page as help
//! and a link to it) and one result per diagnostic.

use serde_json::{json, Value};

use crate::{Code, Diagnostic, Severity, SourceMap, Span};

/// Where rule pages are published: the repository's `docs/rules/`.
pub fn docs_url(code: Code) -> String {
    format!(
        "{}/blob/main/{}",
        env!("CARGO_PKG_REPOSITORY"),
        code.doc_path()
    )
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// The first paragraph under `## What it does`, as the rule's full description.
fn what_it_does(page: &str) -> Option<String> {
    let rest = &page[page.find("## What it does")? + "## What it does".len()..];
    let paragraph = rest.trim_start().split("\n\n").next()?;
    Some(paragraph.split_whitespace().collect::<Vec<_>>().join(" "))
}

fn rule(code: Code) -> Value {
    let title = code.name().replace('-', " ");
    let mut rule = json!({
        "id": code.as_str(),
        "name": code.name(),
        "shortDescription": {"text": title},
        "defaultConfiguration": {"level": level(code.default_severity())},
        "helpUri": docs_url(code),
        "properties": {"tags": [code.area()]},
    });
    if let Some(page) = code.doc_page() {
        if let Some(text) = what_it_does(page) {
            rule["fullDescription"] = json!({"text": text});
        }
        rule["help"] = json!({"text": page, "markdown": page});
    } else {
        rule["help"] = json!({"text": format!("{title}: see {}", docs_url(code))});
    }
    rule
}

fn location(sources: &SourceMap, span: Span, message: Option<&str>) -> Value {
    let file = sources.get(span.file);
    let start = file.line_col(span.start as usize);
    let end = file.line_col(span.end as usize);
    let mut location = json!({
        "physicalLocation": {
            "artifactLocation": {"uri": file.name},
            "region": {
                "startLine": start.line,
                "startColumn": start.column,
                "endLine": end.line,
                "endColumn": end.column.max(if end.line == start.line { start.column + 1 } else { 1 }),
                "byteOffset": span.start,
                "byteLength": span.len(),
            },
        },
    });
    if let Some(text) = message {
        location["message"] = json!({"text": text});
    }
    location
}

/// The SARIF log. Rules are every code vpce knows, so `ruleIndex` is stable.
pub fn render_sarif(diagnostics: &[Diagnostic], sources: &SourceMap) -> String {
    let rules: Vec<Value> = Code::ALL.iter().map(|c| rule(*c)).collect();
    let results: Vec<Value> = diagnostics
        .iter()
        .map(|d| {
            let mut text = d.message.clone();
            if let Some(flag) = super::flag_of(d, sources) {
                text = format!("`{flag}`: {text}");
            }
            if let Some(help) = &d.help {
                text.push_str(&format!("\nhelp: {help}"));
            }
            for note in &d.notes {
                text.push_str(&format!("\nnote: {note}"));
            }
            let index = Code::ALL.iter().position(|c| *c == d.code).unwrap_or(0);
            let mut result = json!({
                "ruleId": d.code.as_str(),
                "ruleIndex": index,
                "level": level(d.severity),
                "message": {"text": text},
            });
            // Code scanning locates results in files: a label in a command-line flag
            // has none (the message names the flag).
            let in_files: Vec<_> = d
                .labels
                .iter()
                .filter(|l| sources.get(l.span.file).is_file())
                .collect();
            if let Some((primary, related)) = in_files.split_first() {
                result["locations"] =
                    json!([location(sources, primary.span, primary.text.as_deref())]);
                if !related.is_empty() {
                    result["relatedLocations"] = Value::Array(
                        related
                            .iter()
                            .enumerate()
                            .map(|(i, label)| {
                                let mut value =
                                    location(sources, label.span, label.text.as_deref());
                                value["id"] = json!(i + 1);
                                value
                            })
                            .collect(),
                    );
                }
            }
            result
        })
        .collect();
    let log = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "vpce",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": env!("CARGO_PKG_REPOSITORY"),
                "rules": rules,
            }},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    });
    let mut out = serde_json::to_string_pretty(&log).expect("JSON values serialise");
    out.push('\n');
    out
}

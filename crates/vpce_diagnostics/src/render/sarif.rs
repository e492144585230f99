//! SARIF 2.1.0 for code-scanning tools: one rule entry per code that fired (with its
//! page as help and a link to it) and one result per diagnostic, located by URIs
//! relative to `%SRCROOT%` and fingerprinted so that tools can follow a finding across
//! runs as lines move.

use std::{collections::BTreeMap, path::Path};

use percent_encoding::{utf8_percent_encode, AsciiSet, CONTROLS};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use crate::{Code, Diagnostic, Severity, SourceMap, Span};

/// The base every relative `uri` is resolved against: the directory vpce ran in.
const SRCROOT: &str = "%SRCROOT%";

/// What a URI path segment cannot hold as is (RFC 3986 `pchar`, less `/`).
const SEGMENT: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'[')
    .add(b'\\')
    .add(b']')
    .add(b'^')
    .add(b'`')
    .add(b'{')
    .add(b'|')
    .add(b'}');

/// A path as URI segments, each percent-encoded, without `.` segments.
fn encode_path(path: &str) -> String {
    path.split('/')
        .filter(|segment| *segment != ".")
        .map(|segment| utf8_percent_encode(segment, SEGMENT).to_string())
        .collect::<Vec<_>>()
        .join("/")
}

/// Where a file is, for SARIF: relative to `%SRCROOT%` when it is under it (or relative
/// already), else an absolute `file://` URI.
fn artifact_location(name: &str, source_root: Option<&Path>) -> Value {
    let path = Path::new(name);
    let relative = if path.is_absolute() {
        source_root.and_then(|root| path.strip_prefix(root).ok())
    } else {
        Some(path)
    };
    match relative {
        Some(relative) => json!({
            "uri": encode_path(&relative.to_string_lossy()),
            "uriBaseId": SRCROOT,
        }),
        None => json!({"uri": format!("file://{}", encode_path(name))}),
    }
}

/// `originalUriBaseIds`' entry for `%SRCROOT%`: the directory as a `file://` URI
/// (ending in `/`, as SARIF requires), or only a description when it is not known.
fn source_root_location(source_root: Option<&Path>) -> Value {
    let description =
        json!({"text": "The directory vpce ran in: run it from the repository root."});
    match source_root {
        Some(root) => {
            let path = encode_path(&root.to_string_lossy());
            let path = path.trim_end_matches('/');
            json!({"uri": format!("file://{path}/"), "description": description})
        }
        None => json!({"description": description}),
    }
}

/// A fingerprint that survives runs and line shifts: the rule, the file, the message
/// and the text of the primary span, hashed; `:N` tells apart identical findings.
fn fingerprint(d: &Diagnostic, sources: &SourceMap, seen: &mut BTreeMap<String, usize>) -> String {
    let mut hasher = Sha256::new();
    hasher.update(d.code.as_str());
    hasher.update([0]);
    if let Some(span) = d.primary_span() {
        hasher.update(&sources.get(span.file).name);
        hasher.update([0]);
        hasher.update(sources.snippet(span).trim());
    }
    hasher.update([0]);
    hasher.update(&d.message);
    let hash: String = hasher.finalize()[..16]
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect();
    let occurrence = seen.entry(hash.clone()).or_insert(0);
    *occurrence += 1;
    format!("{hash}:{occurrence}")
}

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

fn location(
    sources: &SourceMap,
    source_root: Option<&Path>,
    span: Span,
    message: Option<&str>,
) -> Value {
    let file = sources.get(span.file);
    let start = file.line_col(span.start as usize);
    let end = file.line_col(span.end as usize);
    let mut location = json!({
        "physicalLocation": {
            "artifactLocation": artifact_location(&file.name, source_root),
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

/// The SARIF log. `source_root` is the absolute directory vpce ran in, which relative
/// file names are relative to (`%SRCROOT%`); without it, `%SRCROOT%` is left for the
/// consumer to resolve (code scanning resolves it to the checkout).
pub fn render_sarif(
    diagnostics: &[Diagnostic],
    sources: &SourceMap,
    source_root: Option<&Path>,
) -> String {
    let mut fired: Vec<Code> = diagnostics.iter().map(|d| d.code).collect();
    fired.sort();
    fired.dedup();
    let rules: Vec<Value> = fired.iter().map(|c| rule(*c)).collect();
    let mut seen = BTreeMap::new();
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
            let index = fired.binary_search(&d.code).unwrap_or(0);
            let mut result = json!({
                "ruleId": d.code.as_str(),
                "ruleIndex": index,
                "level": level(d.severity),
                "message": {"text": text},
                "partialFingerprints": {"vpceFindingHash/v1": fingerprint(d, sources, &mut seen)},
            });
            // Code scanning locates results in files: a label in a command-line flag
            // has none (the message names the flag).
            let in_files: Vec<_> = d
                .labels
                .iter()
                .filter(|l| sources.get(l.span.file).is_file())
                .collect();
            if let Some((primary, related)) = in_files.split_first() {
                result["locations"] = json!([location(
                    sources,
                    source_root,
                    primary.span,
                    primary.text.as_deref()
                )]);
                if !related.is_empty() {
                    result["relatedLocations"] = Value::Array(
                        related
                            .iter()
                            .enumerate()
                            .map(|(i, label)| {
                                let mut value = location(
                                    sources,
                                    source_root,
                                    label.span,
                                    label.text.as_deref(),
                                );
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
            "originalUriBaseIds": {SRCROOT: source_root_location(source_root)},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    });
    let mut out = serde_json::to_string_pretty(&log).expect("JSON values serialise");
    out.push('\n');
    out
}

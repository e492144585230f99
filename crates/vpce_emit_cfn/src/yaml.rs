//! YAML with CloudFormation's short-form intrinsics (`!Ref`, `!GetAtt`, `!Sub`, ...),
//! written node by node so each scalar's quoting is decided on its own, and the
//! reverse (with serde_yaml_ng), to test that YAML and JSON agree.

use serde_json::Value as Json;
use serde_yaml_ng::Value as Yaml;

/// Intrinsics with a short form, as `(long name, tag)`.
const SHORT_FORMS: &[(&str, &str)] = &[
    ("Ref", "Ref"),
    ("Fn::GetAtt", "GetAtt"),
    ("Fn::Sub", "Sub"),
    ("Fn::Join", "Join"),
    ("Fn::Select", "Select"),
    ("Fn::Cidr", "Cidr"),
    ("Fn::ImportValue", "ImportValue"),
    ("Fn::GetAZs", "GetAZs"),
    ("Fn::Split", "Split"),
    ("Fn::Base64", "Base64"),
];

/// The short form of a one-key object, if it is an intrinsic that has one.
fn short_form(map: &serde_json::Map<String, Json>) -> Option<(&'static str, &Json)> {
    if map.len() != 1 {
        return None;
    }
    let (key, value) = map.iter().next()?;
    // A tagged scalar is never resolved: `!Sub null` would read as the string "null".
    if matches!(value, Json::Null | Json::Bool(_) | Json::Number(_)) {
        return None;
    }
    SHORT_FORMS
        .iter()
        .find(|(long, _)| long == key)
        .map(|(_, tag)| (*tag, value))
}

/// A template as YAML with short-form intrinsics.
///
/// Written structurally, one node at a time, so every scalar (keys included) is quoted
/// exactly when a YAML 1.1 reader (PyYAML, hence cfn-lint) or a YAML 1.2 reader would
/// otherwise read something other than the JSON string: `yes`, `on`, `2024-01-01`,
/// `1e3`, `<<`, `=`, text with `: ` or ` #`, leading spaces, control characters and
/// line breaks. Numbers are written in a form both versions read as numbers.
pub fn to_yaml(template: &Json) -> String {
    let mut out = String::new();
    match template {
        Json::Object(map) if !map.is_empty() && short_form(map).is_none() => {
            write_mapping(&mut out, map, 0, false);
        }
        other => {
            write_after_indicator(&mut out, other, 0);
        }
    }
    out
}

fn indent(out: &mut String, n: usize) {
    out.extend(std::iter::repeat_n(' ', n));
}

/// Entries of a block mapping at `depth`; with `inline_first`, the first key goes on
/// the current line (after a sequence's `- `).
fn write_mapping(
    out: &mut String,
    map: &serde_json::Map<String, Json>,
    depth: usize,
    inline_first: bool,
) {
    for (i, (key, value)) in map.iter().enumerate() {
        if i > 0 || !inline_first {
            indent(out, depth);
        }
        let key_text = scalar_text(key);
        // An implicit key is at most 1024 characters: longer ones need `? `.
        if key_text.chars().count() > 1000 {
            out.push_str("? ");
            out.push_str(&key_text);
            out.push('\n');
            indent(out, depth);
        } else {
            out.push_str(&key_text);
        }
        out.push(':');
        write_mapping_value(out, value, depth);
    }
}

/// The value of a mapping entry, after `key:`.
fn write_mapping_value(out: &mut String, value: &Json, depth: usize) {
    match value {
        Json::Object(map) if !map.is_empty() => match short_form(map) {
            Some((tag, inner)) => write_tagged(out, tag, inner, depth, false),
            None => {
                out.push('\n');
                write_mapping(out, map, depth + 2, false);
            }
        },
        Json::Array(items) if !items.is_empty() => {
            out.push('\n');
            write_sequence(out, items, depth, false);
        }
        scalar => {
            out.push(' ');
            out.push_str(&leaf_text(scalar));
            out.push('\n');
        }
    }
}

/// Items of a block sequence at `depth`.
fn write_sequence(out: &mut String, items: &[Json], depth: usize, inline_first: bool) {
    for (i, item) in items.iter().enumerate() {
        if i > 0 || !inline_first {
            indent(out, depth);
        }
        out.push('-');
        write_after_indicator(out, item, depth + 2);
    }
}

/// A node after `- ` (or at the top): collections start on the same line.
fn write_after_indicator(out: &mut String, value: &Json, depth: usize) {
    match value {
        Json::Object(map) if !map.is_empty() => match short_form(map) {
            Some((tag, inner)) => write_tagged(out, tag, inner, depth, true),
            None => {
                out.push(' ');
                write_mapping(out, map, depth, true);
            }
        },
        Json::Array(items) if !items.is_empty() => {
            out.push(' ');
            write_sequence(out, items, depth, true);
        }
        scalar => {
            out.push(' ');
            out.push_str(&leaf_text(scalar));
            out.push('\n');
        }
    }
}

/// `!Tag value`: scalars on the same line, collections below it. Under a mapping key
/// a sequence stays at the key's indentation; in a sequence item, at the item's.
fn write_tagged(out: &mut String, tag: &str, value: &Json, depth: usize, in_sequence: bool) {
    out.push_str(" !");
    out.push_str(tag);
    // `!GetAtt A.B` is the short form of `Fn::GetAtt: [A, B]` when neither has a dot.
    if let ("GetAtt", Json::Array(parts)) = (tag, value) {
        let strings: Vec<&str> = parts.iter().filter_map(Json::as_str).collect();
        if strings.len() == 2 && strings.iter().all(|p| !p.contains('.') && !p.is_empty()) {
            out.push(' ');
            out.push_str(&scalar_text(&strings.join(".")));
            out.push('\n');
            return;
        }
    }
    match value {
        // An intrinsic inside an intrinsic's mapping keeps its long form there: one node
        // carries one tag.
        Json::Object(map) if !map.is_empty() => {
            out.push('\n');
            let at = if in_sequence { depth } else { depth + 2 };
            write_mapping(out, map, at, false);
        }
        Json::Array(items) if !items.is_empty() => {
            out.push('\n');
            write_sequence(out, items, depth, false);
        }
        scalar => {
            out.push(' ');
            out.push_str(&leaf_text(scalar));
            out.push('\n');
        }
    }
}

/// A scalar or an empty collection, as it is written on one line.
fn leaf_text(value: &Json) -> String {
    match value {
        Json::Null => "null".into(),
        Json::Bool(b) => b.to_string(),
        Json::Number(n) => number_text(n),
        Json::String(s) => scalar_text(s),
        Json::Array(_) => "[]".into(),
        Json::Object(_) => "{}".into(),
    }
}

/// Integers as JSON writes them; other numbers with a `.` in the mantissa and a sign
/// in the exponent (`1.0e+300`), which YAML 1.1's float pattern requires and 1.2 reads.
fn number_text(n: &serde_json::Number) -> String {
    let text = n.to_string();
    if n.is_i64() || n.is_u64() {
        return text;
    }
    let (mantissa, exponent) = match text.split_once(['e', 'E']) {
        Some((m, e)) => (m.to_string(), Some(e.to_string())),
        None => (text, None),
    };
    let mantissa = if mantissa.contains('.') {
        mantissa
    } else {
        format!("{mantissa}.0")
    };
    match exponent {
        Some(e) if e.starts_with(['+', '-']) => format!("{mantissa}e{e}"),
        Some(e) => format!("{mantissa}e+{e}"),
        None => mantissa,
    }
}

/// A string scalar: plain when every YAML 1.1 and 1.2 reader reads it back as this
/// string, single-quoted when it only needs protecting from resolution or indicators,
/// double-quoted with escapes when it holds characters a plain or single-quoted
/// scalar cannot carry exactly (line breaks, control characters, non-printables).
fn scalar_text(s: &str) -> String {
    if needs_escapes(s) {
        return double_quoted(s);
    }
    if plain_is_safe(s) {
        return s.to_string();
    }
    format!("'{}'", s.replace('\'', "''"))
}

/// Characters that single quotes cannot carry as they are: line breaks (folded), tabs
/// and other controls, YAML 1.1's extra line breaks (NEL, LS, PS), the BOM, and what
/// PyYAML refuses as non-printable. Leading or trailing spaces survive single quotes.
fn needs_escapes(s: &str) -> bool {
    s.chars().any(|c| {
        let n = c as u32;
        n < 0x20
            || (0x7f..=0x9f).contains(&n)
            || matches!(n, 0x2028 | 0x2029 | 0xfeff | 0xfffe | 0xffff)
    })
}

fn double_quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if needs_escapes(c.encode_utf8(&mut [0; 4])) => {
                out.push_str(&format!("\\u{:04X}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Whether `s` reads back as this string, unquoted, in YAML 1.1 and 1.2, as a key or a
/// value of a block collection.
fn plain_is_safe(s: &str) -> bool {
    let Some(first) = s.chars().next() else {
        return false; // empty: null
    };
    // Printable ASCII only, no tab; spaces only inside.
    if !s.chars().all(|c| (' '..='~').contains(&c)) || s.starts_with(' ') || s.ends_with(' ') {
        return false;
    }
    // Indicators cannot start a plain scalar (`-` and `?` and `:` only before a space,
    // but quoting them always is simpler and as readable).
    if "-?:,[]{}#&*!|>'\"%@`".contains(first) {
        return false;
    }
    if s.contains(": ") || s.contains(" #") || s.ends_with(':') {
        return false;
    }
    // At the start of a line these end or start a document.
    if s.starts_with("---") || s.starts_with("...") {
        return false;
    }
    !resolves_to_other_than_string(s)
}

/// Whether a YAML 1.1 or 1.2 reader resolves the plain scalar to null, a bool, a number,
/// a date, or the merge and value keys. Ers on the side of quoting.
fn resolves_to_other_than_string(s: &str) -> bool {
    const WORDS: &[&str] = &[
        "~", "null", "Null", "NULL", "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO",
        "true", "True", "TRUE", "false", "False", "FALSE", "on", "On", "ON", "off", "Off", "OFF",
        "<<", "=",
    ];
    if WORDS.contains(&s) {
        return true;
    }
    let unsigned = s.trim_start_matches(['-', '+']);
    if matches!(unsigned.to_ascii_lowercase().as_str(), ".inf" | ".nan") {
        return true;
    }
    // Integers and floats of every base and notation (`012`, `0x1F`, `0o17`, `1_000`,
    // `1e3`, `1:20`, `.5`): digits, a few letters and separators.
    let numeric = unsigned.starts_with(|c: char| c.is_ascii_digit() || c == '.')
        && unsigned.chars().any(|c| c.is_ascii_digit())
        && unsigned
            .chars()
            .all(|c| c.is_ascii_hexdigit() || "_.:xXoO+-".contains(c));
    // Timestamps: `2024-01-01`, `2001-12-14t21:59:43.10-05:00`.
    let bytes = s.as_bytes();
    let date = bytes.len() >= 8 && bytes[..4].iter().all(u8::is_ascii_digit) && bytes[4] == b'-';
    numeric || date
}

fn to_json_value(yaml: &Yaml) -> Result<Json, String> {
    Ok(match yaml {
        Yaml::Null => Json::Null,
        Yaml::Bool(b) => Json::Bool(*b),
        Yaml::Number(n) => serde_json::to_value(n).map_err(|e| e.to_string())?,
        Yaml::String(s) => Json::String(s.clone()),
        Yaml::Sequence(items) => {
            Json::Array(items.iter().map(to_json_value).collect::<Result<_, _>>()?)
        }
        Yaml::Mapping(mapping) => {
            let mut map = serde_json::Map::new();
            for (key, value) in mapping {
                let key = key.as_str().ok_or("a mapping key that is not a string")?;
                map.insert(key.to_string(), to_json_value(value)?);
            }
            Json::Object(map)
        }
        Yaml::Tagged(tagged) => {
            let tag = tagged.tag.to_string();
            let tag = tag.trim_start_matches('!');
            let (long, _) = SHORT_FORMS
                .iter()
                .find(|(_, short)| *short == tag)
                .ok_or_else(|| format!("unknown tag !{tag}"))?;
            let value = match (*long, &tagged.value) {
                ("Fn::GetAtt", Yaml::String(dotted)) => {
                    let (resource, attribute) =
                        dotted.split_once('.').ok_or("!GetAtt without a dot")?;
                    serde_json::json!([resource, attribute])
                }
                _ => to_json_value(&tagged.value)?,
            };
            serde_json::json!({ *long: value })
        }
    })
}

/// Reads a YAML template back into its JSON form (long-form intrinsics).
pub fn from_yaml(text: &str) -> Result<Json, String> {
    let yaml: Yaml = serde_yaml_ng::from_str(text).map_err(|e| e.to_string())?;
    to_json_value(&yaml)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_1_1_lookalikes_are_quoted() {
        let template = serde_json::json!({
            "AWSTemplateFormatVersion": "2010-09-09",
            "A": ["yes", "on", "1_000", "12:30", "plain", "10.0.0.0/16"],
            "B": 443,
            "C": true,
        });
        let text = to_yaml(&template);
        assert!(
            text.contains("AWSTemplateFormatVersion: '2010-09-09'"),
            "{text}"
        );
        assert!(
            text.contains("- 'yes'")
                && text.contains("- 'on'")
                && text.contains("- '1_000'")
                && text.contains("- '12:30'"),
            "{text}"
        );
        assert!(
            text.contains("- plain") && text.contains("B: 443") && text.contains("C: true"),
            "{text}"
        );
        assert_eq!(from_yaml(&text).unwrap(), template);
    }
}

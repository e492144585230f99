//! YAML with CloudFormation's short-form intrinsics (`!Ref`, `!GetAtt`, `!Sub`, ...),
//! written by serde_yaml_ng, and the reverse, to test that YAML and JSON agree.

use serde_json::Value as Json;
use serde_yaml_ng::{
    value::{Tag, TaggedValue},
    Mapping, Value as Yaml,
};

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

fn to_yaml_value(json: &Json) -> Yaml {
    match json {
        Json::Null => Yaml::Null,
        Json::Bool(b) => Yaml::Bool(*b),
        Json::Number(n) => serde_yaml_ng::to_value(n).unwrap_or(Yaml::Null),
        Json::String(s) => Yaml::String(s.clone()),
        Json::Array(items) => Yaml::Sequence(items.iter().map(to_yaml_value).collect()),
        Json::Object(map) => {
            if map.len() == 1 {
                let (key, value) = map.iter().next().expect("one entry");
                if let Some((_, tag)) = SHORT_FORMS.iter().find(|(long, _)| long == key) {
                    // `!GetAtt A.B` is the short form of `Fn::GetAtt: [A, B]`.
                    let value = match (key.as_str(), value) {
                        ("Fn::GetAtt", Json::Array(parts)) if parts.iter().all(Json::is_string) => {
                            let parts: Vec<&str> = parts.iter().filter_map(Json::as_str).collect();
                            Yaml::String(parts.join("."))
                        }
                        _ => to_yaml_value(value),
                    };
                    return Yaml::Tagged(Box::new(TaggedValue {
                        tag: Tag::new(*tag),
                        value,
                    }));
                }
            }
            let mut mapping = Mapping::new();
            for (key, value) in map {
                mapping.insert(Yaml::String(key.clone()), to_yaml_value(value));
            }
            Yaml::Mapping(mapping)
        }
    }
}

/// A template as YAML with short-form intrinsics.
pub fn to_yaml(template: &Json) -> String {
    let text = serde_yaml_ng::to_string(&to_yaml_value(template)).expect("YAML values serialise");
    quote_yaml11_scalars(&text)
}

/// serde_yaml_ng writes YAML 1.2, where `2010-09-09`, `yes` or `1_000` are strings;
/// YAML 1.1 readers (PyYAML, hence cfn-lint and many deploy tools) read them as dates,
/// booleans and numbers. Quote such plain scalars so every reader sees the string.
/// Only strings can look like this: vpce's numbers and booleans print as `443`, `true`.
fn quote_yaml11_scalars(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        let (body, newline) = line.strip_suffix('\n').map_or((line, ""), |b| (b, "\n"));
        let value_start = if let Some(i) = body.find(": ") {
            i + 2
        } else {
            let trimmed = body.trim_start();
            match trimmed.strip_prefix("- ") {
                Some(_) => body.len() - trimmed.len() + 2,
                None => {
                    out.push_str(line);
                    continue;
                }
            }
        };
        let value = &body[value_start..];
        // A tagged scalar keeps its tag: `!Ref 2010-09-09` is not a thing vpce writes.
        if is_yaml11_special(value) {
            out.push_str(&body[..value_start]);
            out.push('\'');
            out.push_str(&value.replace('\'', "''"));
            out.push('\'');
            out.push_str(newline);
        } else {
            out.push_str(line);
        }
    }
    out
}

fn is_yaml11_special(value: &str) -> bool {
    let bools = [
        "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "on", "On", "ON", "off", "Off",
        "OFF",
    ];
    if bools.contains(&value) {
        return true;
    }
    let bytes = value.as_bytes();
    // Dates and timestamps: 2010-09-09...
    let date = bytes.len() >= 8
        && bytes[..4].iter().all(u8::is_ascii_digit)
        && bytes[4] == b'-'
        && value[5..]
            .chars()
            .take_while(|c| *c != 'T' && *c != ' ')
            .all(|c| c.is_ascii_digit() || c == '-');
    // Numbers with underscores or sexagesimal parts: 1_000, 1:20.
    let digits = value.strip_prefix(['-', '+']).unwrap_or(value);
    let number = !digits.is_empty()
        && digits.chars().next().is_some_and(|c| c.is_ascii_digit())
        && digits
            .chars()
            .all(|c| c.is_ascii_digit() || c == '_' || c == ':' || c == '.')
        && (digits.contains('_') || digits.contains(':'));
    date || number
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

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
    serde_yaml_ng::to_string(&to_yaml_value(template)).expect("YAML values serialise")
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

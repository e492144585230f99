use indexmap::IndexMap;
use vpce_diagnostics::Span;

use crate::ObjRef;

/// A value after evaluation. `Unknown` stands for a value whose error has already been
/// reported: every operation on it yields `Unknown` silently, so one mistake gives one
/// diagnostic.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Number(f64),
    String(String),
    List(Vec<Value>),
    /// Boxed: objects are rarer than strings and lists, and inline the map would make
    /// every value (every memoised attribute, every list element) more than twice as large.
    Map(Box<IndexMap<String, Value>>),
    Ref(ObjRef),
    Unknown,
}

impl Value {
    pub fn map(map: IndexMap<String, Value>) -> Value {
        Value::Map(Box::new(map))
    }

    /// The type as users see it in messages.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "a bool",
            Value::Number(_) => "a number",
            Value::String(_) => "a string",
            Value::List(_) => "a list",
            Value::Map(_) => "an object",
            Value::Ref(_) => "a reference",
            Value::Unknown => "an unknown value",
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// Roughly how many bytes the value holds: its strings and keys, plus a few bytes
    /// per element. Counting stops once past `cap`, so measuring a huge value is cheap.
    pub fn weight(&self, cap: usize) -> usize {
        // About what a value and its slot in a list or map take in memory.
        const NODE: usize = 64;
        match self {
            Value::String(s) => NODE + s.len(),
            Value::List(items) => {
                let mut total = NODE;
                for item in items {
                    total += item.weight(cap.saturating_sub(total));
                    if total > cap {
                        break;
                    }
                }
                total
            }
            Value::Map(map) => {
                let mut total = NODE;
                for (key, item) in map.iter() {
                    total += NODE + key.len() + item.weight(cap.saturating_sub(total));
                    if total > cap {
                        break;
                    }
                }
                total
            }
            _ => NODE,
        }
    }

    /// The bytes of text the value holds (strings and keys), as a lower bound on what
    /// joining or encoding it produces. Counting stops once past `cap`.
    pub fn text_len(&self, cap: usize) -> usize {
        match self {
            Value::String(s) => s.len(),
            Value::Number(_) | Value::Bool(_) | Value::Null => 1,
            Value::List(items) => {
                let mut total = 0;
                for item in items {
                    total += item.text_len(cap.saturating_sub(total));
                    if total > cap {
                        break;
                    }
                }
                total
            }
            Value::Map(map) => {
                let mut total = 0;
                for (key, item) in map.iter() {
                    total += key.len() + item.text_len(cap.saturating_sub(total));
                    if total > cap {
                        break;
                    }
                }
                total
            }
            Value::Ref(_) | Value::Unknown => 0,
        }
    }

    /// JSON for `jsonencode` and policies. References have no JSON form.
    pub fn to_json(&self) -> Option<serde_json::Value> {
        Some(match self {
            Value::Null => serde_json::Value::Null,
            Value::Bool(b) => serde_json::Value::Bool(*b),
            Value::Number(n) => number_to_json(*n)?,
            Value::String(s) => serde_json::Value::String(s.clone()),
            Value::List(items) => {
                serde_json::Value::Array(items.iter().map(Value::to_json).collect::<Option<_>>()?)
            }
            Value::Map(map) => serde_json::Value::Object(
                map.iter()
                    .map(|(k, v)| Some((k.clone(), v.to_json()?)))
                    .collect::<Option<_>>()?,
            ),
            Value::Ref(_) | Value::Unknown => return None,
        })
    }

    pub fn from_json(json: &serde_json::Value) -> Value {
        match json {
            serde_json::Value::Null => Value::Null,
            serde_json::Value::Bool(b) => Value::Bool(*b),
            serde_json::Value::Number(n) => Value::Number(n.as_f64().unwrap_or(f64::NAN)),
            serde_json::Value::String(s) => Value::String(s.clone()),
            serde_json::Value::Array(items) => {
                Value::List(items.iter().map(Value::from_json).collect())
            }
            serde_json::Value::Object(map) => Value::map(
                map.iter()
                    .map(|(k, v)| (k.clone(), Value::from_json(v)))
                    .collect(),
            ),
        }
    }
}

fn number_to_json(n: f64) -> Option<serde_json::Value> {
    if n.fract() == 0.0 && n.abs() < 9.0e15 {
        Some(serde_json::Value::from(n as i64))
    } else {
        serde_json::Number::from_f64(n).map(serde_json::Value::Number)
    }
}

/// Numbers print as integers when they are whole, as in Terraform.
pub fn format_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 9.0e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

/// A value with the span of the expression it came from.
#[derive(Clone, Debug, PartialEq)]
pub struct Spanned<T> {
    pub value: T,
    pub span: Span,
}

impl<T> Spanned<T> {
    pub fn new(value: T, span: Span) -> Spanned<T> {
        Spanned { value, span }
    }

    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Spanned<U> {
        Spanned {
            value: f(self.value),
            span: self.span,
        }
    }

    pub fn as_ref(&self) -> Spanned<&T> {
        Spanned {
            value: &self.value,
            span: self.span,
        }
    }
}

impl<T> std::ops::Deref for Spanned<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.value
    }
}

//! Functions over lists and objects, with Terraform's meanings: `keys`, `values`,
//! `toset`, `tolist`, `tomap`, `contains`, `flatten`, `distinct`, `lookup`, `element`,
//! `range`, `zipmap`.
//!
//! vpce has no set type: a set is a list without duplicates, sorted (strings byte-wise,
//! numbers by value), which is the order Terraform iterates a set of strings in. Maps
//! are objects; what Terraform orders by key (`keys`, `values`, `tomap`, `zipmap`)
//! comes out in byte-wise key order.

use std::{
    cmp::Ordering,
    hash::{Hash, Hasher},
};

use indexmap::IndexMap;
use rustc_hash::{FxHashSet, FxHasher};
use vpce_diagnostics::{did_you_mean, Code, Diagnostic, Span};

use super::{integer_arg, string_arg, type_error, Evaluator, MAX_COLLECTION_LEN};
use crate::{format_number, Value};

type Arg = (Value, Span);

/// V104 at an argument: `function` needs `expected`, with a hint when one helps.
fn wrong_type(
    ev: &mut Evaluator<'_, '_>,
    function: &str,
    (value, span): &Arg,
    expected: &str,
    help: Option<&str>,
) -> Value {
    if *value != Value::Unknown {
        let found = value.type_name();
        ev.report(
            type_error(
                *span,
                format!("`{function}` needs {expected}, found {found}"),
            )
            .with_help_opt(help.map(str::to_string)),
        );
    }
    Value::Unknown
}

const USE_VALUES: &str = "an object's values in key order are `values(...)`, its keys `keys(...)`";
const USE_ZIPMAP: &str = "build an object from two lists with `zipmap(keys, values)`";
const LIST_HAS_NO_KEYS: &str =
    "a list has no keys and is its own values: `[for i, x in LIST : i]` gives its indexes";

fn list_arg<'v>(
    ev: &mut Evaluator<'_, '_>,
    function: &str,
    arg: &'v Arg,
) -> Option<&'v Vec<Value>> {
    match &arg.0 {
        Value::List(items) => Some(items),
        Value::Map(_) => {
            wrong_type(ev, function, arg, "a list", Some(USE_VALUES));
            None
        }
        _ => {
            wrong_type(ev, function, arg, "a list", None);
            None
        }
    }
}

/// An object argument; `list_help` says what to do when it is a list.
fn map_arg<'v>(
    ev: &mut Evaluator<'_, '_>,
    function: &str,
    arg: &'v Arg,
    list_help: &str,
) -> Option<&'v IndexMap<String, Value>> {
    match &arg.0 {
        Value::Map(map) => Some(map),
        Value::List(_) => {
            wrong_type(ev, function, arg, "an object", Some(list_help));
            None
        }
        _ => {
            wrong_type(ev, function, arg, "an object", None);
            None
        }
    }
}

/// The entries of an object in byte-wise key order.
fn sorted_entries(map: &IndexMap<String, Value>) -> Vec<(&String, &Value)> {
    let mut entries: Vec<_> = map.iter().collect();
    entries.sort_by_key(|(key, _)| *key);
    entries
}

pub(super) fn keys(ev: &mut Evaluator<'_, '_>, arg: &Arg) -> Value {
    match map_arg(ev, "keys", arg, LIST_HAS_NO_KEYS) {
        Some(map) => Value::List(
            sorted_entries(map)
                .into_iter()
                .map(|(key, _)| Value::String(key.clone()))
                .collect(),
        ),
        None => Value::Unknown,
    }
}

pub(super) fn values(ev: &mut Evaluator<'_, '_>, arg: &Arg) -> Value {
    match map_arg(ev, "values", arg, LIST_HAS_NO_KEYS) {
        Some(map) => Value::List(
            sorted_entries(map)
                .into_iter()
                .map(|(_, value)| value.clone())
                .collect(),
        ),
        None => Value::Unknown,
    }
}

/// Terraform's conversion of a mixed list or object to one element type: when strings
/// meet numbers or bools, all become strings (`["a", 1]` is `["a", "1"]`).
fn unify(items: impl Iterator<Item = Value>) -> Vec<Value> {
    let items: Vec<Value> = items.collect();
    let has_string = items.iter().any(|v| matches!(v, Value::String(_)));
    let all_primitive = items
        .iter()
        .all(|v| matches!(v, Value::String(_) | Value::Number(_) | Value::Bool(_)));
    if !(has_string && all_primitive) {
        return items;
    }
    items
        .into_iter()
        .map(|v| match v {
            Value::Number(n) => Value::String(format_number(n)),
            Value::Bool(b) => Value::String(b.to_string()),
            other => other,
        })
        .collect()
}

/// Equality as `Value`'s, with a hash that agrees with it (an object's entries in any
/// order), so that removing duplicates is linear.
struct Distinct<'v>(&'v Value);

impl PartialEq for Distinct<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.0 == other.0
    }
}

impl Eq for Distinct<'_> {}

impl Hash for Distinct<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        std::mem::discriminant(self.0).hash(state);
        match self.0 {
            Value::Null | Value::Unknown => {}
            Value::Bool(b) => b.hash(state),
            // 0.0 == -0.0: hash both alike.
            Value::Number(n) => (if *n == 0.0 { 0 } else { n.to_bits() }).hash(state),
            Value::String(s) => s.hash(state),
            Value::Ref(obj) => obj.hash(state),
            Value::List(items) => {
                items.len().hash(state);
                for item in items {
                    Distinct(item).hash(state);
                }
            }
            Value::Map(map) => {
                // Entries in any order hash alike: their hashes are summed.
                let mut sum = 0u64;
                for (key, value) in map.iter() {
                    let mut entry = FxHasher::default();
                    key.hash(&mut entry);
                    Distinct(value).hash(&mut entry);
                    sum = sum.wrapping_add(entry.finish());
                }
                map.len().hash(state);
                sum.hash(state);
            }
        }
    }
}

/// The elements without their repetitions, each where it first appears.
fn without_duplicates(items: Vec<Value>) -> Vec<Value> {
    let keep: Vec<bool> = {
        let mut seen = FxHashSet::default();
        items
            .iter()
            .map(|item| seen.insert(Distinct(item)))
            .collect()
    };
    items
        .into_iter()
        .zip(keep)
        .filter_map(|(item, keep)| keep.then_some(item))
        .collect()
}

/// A set's order: by type, then strings byte-wise, numbers by value, false before
/// true; other elements (references, lists, objects) keep their order.
fn set_order(a: &Value, b: &Value) -> Ordering {
    fn rank(v: &Value) -> u8 {
        match v {
            Value::Null => 0,
            Value::Bool(_) => 1,
            Value::Number(_) => 2,
            Value::String(_) => 3,
            Value::Ref(_) => 4,
            Value::List(_) => 5,
            Value::Map(_) => 6,
            Value::Unknown => 7,
        }
    }
    rank(a).cmp(&rank(b)).then_with(|| match (a, b) {
        (Value::Bool(x), Value::Bool(y)) => x.cmp(y),
        (Value::Number(x), Value::Number(y)) => x.total_cmp(y),
        (Value::String(x), Value::String(y)) => x.cmp(y),
        _ => Ordering::Equal,
    })
}

pub(super) fn toset(ev: &mut Evaluator<'_, '_>, arg: &Arg) -> Value {
    let Some(items) = list_arg(ev, "toset", arg) else {
        return Value::Unknown;
    };
    if items.contains(&Value::Unknown) {
        return Value::Unknown;
    }
    let mut set = without_duplicates(unify(items.iter().cloned()));
    set.sort_by(set_order);
    Value::List(set)
}

pub(super) fn tolist(ev: &mut Evaluator<'_, '_>, arg: &Arg) -> Value {
    match list_arg(ev, "tolist", arg) {
        Some(items) => Value::List(unify(items.iter().cloned())),
        None => Value::Unknown,
    }
}

pub(super) fn tomap(ev: &mut Evaluator<'_, '_>, arg: &Arg) -> Value {
    let Some(map) = map_arg(ev, "tomap", arg, USE_ZIPMAP) else {
        return Value::Unknown;
    };
    let entries = sorted_entries(map);
    let values = unify(entries.iter().map(|(_, value)| (*value).clone()));
    Value::map(
        entries
            .into_iter()
            .map(|(key, _)| key.clone())
            .zip(values)
            .collect(),
    )
}

pub(super) fn contains(ev: &mut Evaluator<'_, '_>, args: &[Arg]) -> Value {
    let Some(items) = list_arg(ev, "contains", &args[0]) else {
        return Value::Unknown;
    };
    if items.contains(&args[1].0) {
        Value::Bool(true)
    } else if items.contains(&Value::Unknown) {
        Value::Unknown
    } else {
        Value::Bool(false)
    }
}

/// Lists inside the list, at any depth, replaced by their elements.
pub(super) fn flatten(ev: &mut Evaluator<'_, '_>, arg: &Arg, span: Span) -> Value {
    fn into(out: &mut Vec<Value>, items: &[Value]) -> Result<(), ()> {
        for item in items {
            match item {
                Value::List(inner) => into(out, inner)?,
                _ if out.len() == MAX_COLLECTION_LEN => return Err(()),
                other => out.push(other.clone()),
            }
        }
        Ok(())
    }
    let Some(items) = list_arg(ev, "flatten", arg) else {
        return Value::Unknown;
    };
    let mut out = Vec::new();
    match into(&mut out, items) {
        Ok(()) => Value::List(out),
        Err(()) => {
            let what = format!("a list of more than {MAX_COLLECTION_LEN} elements");
            ev.too_large(span, what, "100000 elements")
        }
    }
}

pub(super) fn distinct(ev: &mut Evaluator<'_, '_>, arg: &Arg) -> Value {
    match list_arg(ev, "distinct", arg) {
        Some(items) if items.contains(&Value::Unknown) => Value::Unknown,
        Some(items) => Value::List(without_duplicates(items.clone())),
        None => Value::Unknown,
    }
}

/// `lookup(map, key)` or `lookup(map, key, default)`.
pub(super) fn lookup(ev: &mut Evaluator<'_, '_>, args: &[Arg]) -> Value {
    let Some(map) = map_arg(ev, "lookup", &args[0], USE_ZIPMAP) else {
        return Value::Unknown;
    };
    let Some(key) = string_arg(ev, &args[1]) else {
        return Value::Unknown;
    };
    if let Some(value) = map.get(&key) {
        return value.clone();
    }
    if let Some((default, _)) = args.get(2) {
        return default.clone();
    }
    let help = did_you_mean(&key, map.keys().map(String::as_str)).unwrap_or_else(|| {
        "give a default as the third argument: `lookup(map, key, default)`".into()
    });
    ev.report(
        Diagnostic::new(
            Code::UnresolvedReference,
            format!("the object has no key `{key}`"),
        )
        .with_label(args[1].1, "no such key")
        .with_help(help),
    );
    Value::Unknown
}

/// `element(list, index)`: the index wraps around the list's length.
pub(super) fn element(ev: &mut Evaluator<'_, '_>, args: &[Arg]) -> Value {
    let Some(items) = list_arg(ev, "element", &args[0]) else {
        return Value::Unknown;
    };
    let Some(index) = integer_arg(ev, &args[1]) else {
        return Value::Unknown;
    };
    if items.is_empty() {
        ev.report(
            Diagnostic::new(
                Code::InvalidValue,
                "`element` cannot pick from an empty list",
            )
            .with_label(args[0].1, "no elements"),
        );
        return Value::Unknown;
    }
    items[(index % items.len() as u128) as usize].clone()
}

fn number_arg(ev: &mut Evaluator<'_, '_>, (value, span): &Arg) -> Option<f64> {
    match value {
        Value::Number(n) if n.is_finite() => Some(*n),
        other => {
            ev.mismatch(*span, "a number", other);
            None
        }
    }
}

/// `range(limit)`, `range(start, limit)`, `range(start, limit, step)`: from `start`,
/// adding `step` while short of `limit`. Its length is known before it is built, so a
/// range past the collection limit is refused without allocating it.
pub(super) fn range(ev: &mut Evaluator<'_, '_>, args: &[Arg], span: Span) -> Value {
    let mut numbers = Vec::with_capacity(args.len());
    for arg in args {
        match number_arg(ev, arg) {
            Some(n) => numbers.push(n),
            None => return Value::Unknown,
        }
    }
    let (start, limit, step) = match numbers[..] {
        [limit] => (0.0, limit, 1.0),
        [start, limit] => (start, limit, if start <= limit { 1.0 } else { -1.0 }),
        [start, limit, step] => (start, limit, step),
        _ => unreachable!("the arity table allows 1 to 3 arguments"),
    };
    if step == 0.0 {
        ev.report(
            Diagnostic::new(Code::InvalidValue, "`range` needs a step other than zero")
                .with_label(args[2].1, "would never reach the limit"),
        );
        return Value::Unknown;
    }
    let estimate = ((limit - start) / step).ceil();
    if estimate > MAX_COLLECTION_LEN as f64 {
        let what = format!("a list of about {} elements", format_number(estimate));
        return ev.too_large(span, what, "100000 elements");
    }
    let mut out = Vec::new();
    let mut n = start;
    while (step > 0.0 && n < limit) || (step < 0.0 && n > limit) {
        // Rounding may add an element to the estimate; never more than the limit.
        if out.len() == MAX_COLLECTION_LEN {
            let what = format!("a list of more than {MAX_COLLECTION_LEN} elements");
            return ev.too_large(span, what, "100000 elements");
        }
        out.push(Value::Number(n));
        n += step;
    }
    Value::List(out)
}

/// `1 key`, `2 keys`.
fn count(n: usize, noun: &str) -> String {
    format!("{n} {noun}{}", if n == 1 { "" } else { "s" })
}

/// `zipmap(keys, values)`: an object from a list of keys and a list of values.
pub(super) fn zipmap(ev: &mut Evaluator<'_, '_>, args: &[Arg], span: Span) -> Value {
    let (Some(keys), Some(values)) = (
        list_arg(ev, "zipmap", &args[0]),
        list_arg(ev, "zipmap", &args[1]),
    ) else {
        return Value::Unknown;
    };
    if keys.len() != values.len() {
        ev.report(
            Diagnostic::new(
                Code::InvalidValue,
                format!(
                    "`zipmap` has {} but {}",
                    count(keys.len(), "key"),
                    count(values.len(), "value")
                ),
            )
            .with_label(span, "the lists differ in length")
            .with_help("give one value per key"),
        );
        return Value::Unknown;
    }
    let mut map = IndexMap::new();
    for (key, value) in keys.iter().zip(values) {
        let key = match key {
            Value::String(s) => s.clone(),
            Value::Number(n) => format_number(*n),
            Value::Unknown => return Value::Unknown,
            other => {
                ev.report(type_error(
                    args[0].1,
                    format!(
                        "`zipmap` needs keys that are strings, found {}",
                        other.type_name()
                    ),
                ));
                return Value::Unknown;
            }
        };
        // A repeated key keeps its last value, as in Terraform.
        map.insert(key, value.clone());
    }
    map.sort_keys();
    Value::map(map)
}

#[cfg(test)]
mod tests {
    use serde_json::{json, Value as Json};
    use vpce_diagnostics::Code;

    use crate::evaluate;

    fn value(expr: &str) -> Json {
        crate::value_of("", expr)
    }

    /// The one diagnostic `expr` gives: code, message, the text its label covers, help.
    fn error(expr: &str) -> (Code, String, String, String) {
        let (value, diagnostics) = evaluate("", expr);
        assert_eq!(value, None, "{expr}");
        let [one] = &diagnostics[..] else {
            panic!("{expr}: expected one diagnostic, got {diagnostics:#?}");
        };
        // The probe's text: the expression sits in `jsonencode(...)` on the last line.
        let text = format!(
            "region = \"eu-west-1\"\n\nvpc \"probe\" {{\n  cidr = \"10.0.0.0/16\"\n  tags = {{ probe = jsonencode({expr}) }}\n}}\n"
        );
        let span = one.labels[0].span;
        let labelled = text[span.start as usize..span.end as usize].to_string();
        (
            one.code,
            one.message.clone(),
            labelled,
            one.help.clone().unwrap_or_default(),
        )
    }

    #[test]
    fn keys_and_values_are_in_key_order() {
        assert_eq!(
            value("keys({ b = 1, a = 2, B = 3 })"),
            json!(["B", "a", "b"])
        );
        assert_eq!(value("values({ b = 1, a = 2, B = 3 })"), json!([3, 2, 1]));
        assert_eq!(value("keys({})"), json!([]));
        let (code, message, at, help) = error("keys([1, 2])");
        assert_eq!(code, Code::TypeMismatch);
        assert_eq!(message, "`keys` needs an object, found a list");
        assert_eq!(at, "[1, 2]");
        assert!(help.contains("indexes"), "{help}");
        let (_, message, at, _) = error("values(\"ab\")");
        assert_eq!(message, "`values` needs an object, found a string");
        assert_eq!(at, "\"ab\"");
    }

    #[test]
    fn toset_removes_duplicates_and_sorts() {
        assert_eq!(
            value(r#"toset(["ssm", "kms", "ssm", "Logs"])"#),
            json!(["Logs", "kms", "ssm"])
        );
        assert_eq!(value("toset([3, 1, 2, 1, 10])"), json!([1, 2, 3, 10]));
        // Mixed with strings, numbers and bools become strings, as in Terraform.
        assert_eq!(
            value(r#"toset(["b", 1, true, "1"])"#),
            json!(["1", "b", "true"])
        );
        assert_eq!(
            value("toset([{ a = 1, b = 2 }, { b = 2, a = 1 }])"),
            json!([{"a": 1, "b": 2}])
        );
        let (code, message, at, help) = error("toset({ a = 1 })");
        assert_eq!(code, Code::TypeMismatch);
        assert_eq!(message, "`toset` needs a list, found an object");
        assert_eq!(at, "{ a = 1 }");
        assert!(help.contains("values(...)"), "{help}");
    }

    #[test]
    fn tolist_and_tomap_convert_like_terraform() {
        assert_eq!(value(r#"tolist(["a", 1])"#), json!(["a", "1"]));
        assert_eq!(value("tolist([1, 2])"), json!([1, 2]));
        assert_eq!(
            value(r#"tomap({ b = 1, a = "x" })"#),
            json!({"a": "x", "b": "1"})
        );
        assert_eq!(
            error("tolist({ a = 1 })").1,
            "`tolist` needs a list, found an object"
        );
        assert_eq!(
            error("tomap([1])").1,
            "`tomap` needs an object, found a list"
        );
    }

    #[test]
    fn contains_distinct_and_flatten() {
        assert_eq!(value(r#"contains(["ssm", "kms"], "kms")"#), json!(true));
        assert_eq!(value(r#"contains(["ssm", "kms"], "s3")"#), json!(false));
        assert_eq!(value("contains([[1]], [1])"), json!(true));
        assert_eq!(
            error(r#"contains({ a = 1 }, "a")"#).1,
            "`contains` needs a list, found an object"
        );
        assert_eq!(value("distinct([3, 1, 3, 2, 1])"), json!([3, 1, 2]));
        assert_eq!(value("distinct([0, -0])"), json!([0]));
        assert_eq!(
            value("flatten([[1, [2, [3]]], [], 4, [{ a = [5] }]])"),
            json!([1, 2, 3, 4, {"a": [5]}])
        );
        assert_eq!(
            error("flatten(1)").1,
            "`flatten` needs a list, found a number"
        );
        assert_eq!(
            error("distinct(\"a\")").1,
            "`distinct` needs a list, found a string"
        );
    }

    #[test]
    fn flatten_stops_at_the_collection_limit() {
        let (value, diagnostics) = evaluate("", "flatten([range(100000), [1]])");
        assert_eq!(value, None);
        assert_eq!(diagnostics.len(), 1, "{diagnostics:#?}");
        assert_eq!(diagnostics[0].code, Code::ValueTooLarge);
        assert_eq!(
            diagnostics[0].message,
            "this expression builds a list of more than 100000 elements, past vpce's limit of 100000 elements"
        );
    }

    #[test]
    fn distinct_is_linear() {
        // 100,000 distinct strings: quadratic comparison would take minutes.
        assert_eq!(
            value("length(distinct([for i in range(100000) : \"s${i}\"]))"),
            json!(100000)
        );
    }

    #[test]
    fn lookup_with_and_without_default() {
        assert_eq!(value(r#"lookup({ a = "x" }, "a")"#), json!("x"));
        assert_eq!(value(r#"lookup({ a = "x" }, "b", "y")"#), json!("y"));
        let (code, message, at, help) = error(r#"lookup({ alpha = "x" }, "alpah")"#);
        assert_eq!(code, Code::UnresolvedReference);
        assert_eq!(message, "the object has no key `alpah`");
        assert_eq!(at, "\"alpah\"");
        assert_eq!(help, "did you mean `alpha`?");
        let (_, _, _, help) = error(r#"lookup({ a = "x" }, "zzz")"#);
        assert!(help.contains("default"), "{help}");
        let (code, message, at, _) = error(r#"lookup(["a"], "a")"#);
        assert_eq!(code, Code::TypeMismatch);
        assert_eq!(message, "`lookup` needs an object, found a list");
        assert_eq!(at, "[\"a\"]");
        let (code, message, _, _) = error("lookup({ a = 1 })");
        assert_eq!(code, Code::TypeMismatch);
        assert_eq!(message, "`lookup` takes 2 or 3 arguments, found 1");
    }

    #[test]
    fn element_wraps_around() {
        assert_eq!(value(r#"element(["a", "b", "c"], 1)"#), json!("b"));
        assert_eq!(value(r#"element(["a", "b", "c"], 4)"#), json!("b"));
        let (code, message, at, _) = error("element([], 0)");
        assert_eq!(code, Code::InvalidValue);
        assert_eq!(message, "`element` cannot pick from an empty list");
        assert_eq!(at, "[]");
        let (code, _, at, _) = error(r#"element(["a"], -1)"#);
        assert_eq!(code, Code::InvalidValue);
        assert_eq!(at, "-1");
        let (code, message, at, _) = error(r#"element(["a"], "x")"#);
        assert_eq!(code, Code::TypeMismatch);
        assert_eq!(message, "expected a number, found a string");
        assert_eq!(at, "\"x\"");
    }

    #[test]
    fn range_counts_like_terraform() {
        assert_eq!(value("range(3)"), json!([0, 1, 2]));
        assert_eq!(value("range(1, 4)"), json!([1, 2, 3]));
        assert_eq!(value("range(4, 1)"), json!([4, 3, 2]));
        assert_eq!(value("range(0, 10, 4)"), json!([0, 4, 8]));
        assert_eq!(value("range(10, 0, -5)"), json!([10, 5]));
        assert_eq!(value("range(0)"), json!([]));
        assert_eq!(value("range(1, 4, -1)"), json!([]));
        assert_eq!(value("range(0, 1, 0.25)"), json!([0, 0.25, 0.5, 0.75]));
        let (code, message, at, _) = error("range(0, 5, 0)");
        assert_eq!(code, Code::InvalidValue);
        assert_eq!(message, "`range` needs a step other than zero");
        assert_eq!(at, "0");
        let (code, message, at, _) = error(r#"range("5")"#);
        assert_eq!(code, Code::TypeMismatch);
        assert_eq!(message, "expected a number, found a string");
        assert_eq!(at, "\"5\"");
        assert_eq!(
            error("range(1, 2, 3, 4)").1,
            "`range` takes 1 to 3 arguments, found 4"
        );
    }

    #[test]
    fn range_past_the_limit_is_refused_before_it_is_built() {
        let (code, message, at, _) = error("range(1e15)");
        assert_eq!(code, Code::ValueTooLarge);
        assert_eq!(
            message,
            "this expression builds a list of about 1000000000000000 elements, past vpce's limit of 100000 elements"
        );
        assert_eq!(at, "range(1e15)");
        assert_eq!(error("range(0, 1, 1e-300)").0, Code::ValueTooLarge);
        // Steps too small to move a large start: bounded all the same.
        assert_eq!(error("range(1e17, 1e17 + 16, 1)").0, Code::ValueTooLarge);
        assert_eq!(value("length(range(100000))"), json!(100000));
    }

    #[test]
    fn zipmap_pairs_keys_with_values() {
        assert_eq!(
            value(r#"zipmap(["b", "a"], [1, 2])"#),
            json!({"a": 2, "b": 1})
        );
        assert_eq!(value(r#"zipmap(["a", "a"], [1, 2])"#), json!({"a": 2}));
        let (code, message, _, _) = error(r#"zipmap(["a"], [1, 2])"#);
        assert_eq!(code, Code::InvalidValue);
        assert_eq!(message, "`zipmap` has 1 key but 2 values");
        let (code, message, at, _) = error("zipmap([true], [1])");
        assert_eq!(code, Code::TypeMismatch);
        assert_eq!(
            message,
            "`zipmap` needs keys that are strings, found a bool"
        );
        assert_eq!(at, "[true]");
        assert_eq!(
            error(r#"zipmap({ a = 1 }, [1])"#).1,
            "`zipmap` needs a list, found an object"
        );
    }

    #[test]
    fn unknown_function_lists_the_new_ones() {
        let (code, message, _, help) = error("valuse({})");
        assert_eq!(code, Code::UnresolvedReference);
        assert_eq!(message, "there is no function named `valuse`");
        assert_eq!(help, "did you mean `values`?");
    }
}

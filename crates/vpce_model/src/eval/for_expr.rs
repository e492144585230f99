//! `for` expressions and splats: the expressions that iterate. Each binds names (the
//! iteration variables, or the element a splat applies to) on the evaluator's scope
//! while its body is evaluated; `traversal` looks them up before anything else.
//!
//! Iterating is charged against the value budget like everything else: binding an
//! element costs what copying it would, so a `for` nested in a `for` over large ranges
//! stops at V115 instead of running for hours. A result has at most as many elements
//! as the collection it iterates, which obeys the collection limit already.

use indexmap::IndexMap;
use vpce_diagnostics::{Code, Diagnostic, Span};
use vpce_syntax::ast::{Expr, ForExpr, Ident};

use super::{type_error, Ctx, Evaluator, MAX_TOTAL_BYTES};
use crate::{format_number, schema::Kind, Value};

/// The name a splat binds its element to: not an identifier, so no reference meets it.
const SPLAT_ELEMENT: &str = "[*]";

/// What one iteration of a `for` produced.
enum Produced {
    /// The condition was false.
    Skipped,
    /// A value, with its key in the object form.
    Item(Option<(String, Span)>, Value),
    /// A value that could not be computed; the whole result is Unknown.
    Unknown,
}

impl<'a> Evaluator<'a, '_> {
    /// The value a `for` or a splat bound to `name`, innermost first. Every use copies
    /// it, so the copy is charged.
    pub(super) fn bound(&mut self, name: &str, span: Span) -> Option<Value> {
        let value = self
            .scope
            .iter()
            .rev()
            .find(|(bound, _)| *bound == name)
            .map(|(_, value)| value.clone())?;
        Some(self.charge(value, span))
    }

    /// Binds `name` to `value` while `within` runs (a `dynamic` block's iterator).
    pub(crate) fn with_binding<T>(
        &mut self,
        name: &'a str,
        value: Value,
        within: impl FnOnce(&mut Self) -> T,
    ) -> T {
        let depth = self.scope.len();
        self.scope.push((name, value));
        let result = within(self);
        self.scope.truncate(depth);
        result
    }

    pub(super) fn splat_element(&mut self, span: Span) -> Value {
        self.bound(SPLAT_ELEMENT, span).unwrap_or(Value::Unknown)
    }

    /// A string key for an object: strings as they are, numbers as they print.
    pub(super) fn object_key(&mut self, key: Value, span: Span) -> Option<String> {
        match key {
            Value::String(k) => Some(k),
            Value::Number(n) => Some(format_number(n)),
            Value::Unknown => None,
            other => {
                self.report(type_error(
                    span,
                    format!(
                        "an object key must be a string, found {}",
                        other.type_name()
                    ),
                ));
                None
            }
        }
    }

    /// Charges one iteration (binding `element` copies it); false once the budget is
    /// spent, which has then been reported.
    fn charge_iteration(&mut self, element: &Value, span: Span) -> bool {
        if self.exhausted {
            return false;
        }
        let weight = element.weight(MAX_TOTAL_BYTES);
        self.over_total(weight, span)
    }

    /// An iteration variable may not hide what references start with.
    fn check_iteration_names(&mut self, f: &ForExpr) -> bool {
        let mut ok = true;
        for name in f.key_var.iter().chain([&f.value_var]) {
            let reserved = matches!(name.name.as_str(), "var" | "local" | "each")
                || Kind::from_keyword(&name.name).is_some();
            if reserved {
                self.report(
                    Diagnostic::new(
                        Code::SyntaxError,
                        format!("`{}` cannot name a `for` variable", name.name),
                    )
                    .with_label(name.span, "would hide references that start with it")
                    .with_help(format!(
                        "choose another name, e.g. `{}_item`: `var`, `local`, `each` and block kinds begin references",
                        name.name
                    )),
                );
                ok = false;
            }
        }
        if let Some(key_var) = &f.key_var {
            if key_var.name == f.value_var.name {
                self.report(
                    Diagnostic::new(
                        Code::SyntaxError,
                        format!("both `for` variables are named `{}`", key_var.name),
                    )
                    .with_label(key_var.span, "the key or index")
                    .with_label(f.value_var.span, "the value")
                    .with_help("give the key (or index) and the value different names"),
                );
                ok = false;
            }
        }
        ok
    }

    /// `[for i, v in xs : ...]` and `{for k, v in m : k => v}`: a list is iterated by
    /// index, an object by key in byte-wise key order, as Terraform does.
    pub(super) fn for_expr(&mut self, f: &'a ForExpr, span: Span, ctx: Ctx) -> Value {
        if !self.check_iteration_names(f) {
            return Value::Unknown;
        }
        let pairs: Vec<(Value, Value)> = match self.eval(&f.collection, ctx) {
            Value::Unknown => return Value::Unknown,
            Value::List(items) => items
                .into_iter()
                .enumerate()
                .map(|(index, item)| (Value::Number(index as f64), item))
                .collect(),
            Value::Map(map) => {
                let mut entries: Vec<(String, Value)> = map.into_iter().collect();
                entries.sort_by(|(a, _), (b, _)| a.cmp(b));
                entries
                    .into_iter()
                    .map(|(key, value)| (Value::String(key), value))
                    .collect()
            }
            other => {
                self.report(
                    type_error(
                        f.collection.span,
                        format!(
                            "a `for` expression iterates a list or an object, found {}",
                            other.type_name()
                        ),
                    )
                    .with_help(match other {
                        Value::Ref(_) => {
                            "a reference is one object: put it in a list, `[KIND.NAME]`"
                        }
                        _ => "iterate a list (`[\"a\", \"b\"]`) or an object (`{ a = 1 }`)",
                    }),
                );
                return Value::Unknown;
            }
        };
        let mut list = Vec::new();
        let mut object: IndexMap<String, Value> = IndexMap::new();
        let mut groups: IndexMap<String, Vec<Value>> = IndexMap::new();
        for (key, value) in pairs {
            if !self.charge_iteration(&value, f.collection.span) {
                return Value::Unknown;
            }
            let depth = self.scope.len();
            if let Some(key_var) = &f.key_var {
                self.scope.push((&key_var.name, key));
            }
            self.scope.push((&f.value_var.name, value));
            let produced = self.iteration(f, ctx);
            self.scope.truncate(depth);
            let (key, value) = match produced {
                Produced::Skipped => continue,
                Produced::Unknown => return Value::Unknown,
                Produced::Item(key, value) => (key, value),
            };
            let Some((key, key_span)) = key else {
                list.push(value);
                continue;
            };
            if f.grouping {
                groups.entry(key).or_default().push(value);
            } else if object.contains_key(&key) {
                self.report(
                    Diagnostic::new(
                        Code::InvalidValue,
                        format!("two elements give the key `{key}`"),
                    )
                    .with_label(key_span, "the same key twice")
                    .with_help(
                        "make the keys distinct, or write `...` after the value to group the values of one key into a list",
                    ),
                );
                return Value::Unknown;
            } else {
                object.insert(key, value);
            }
        }
        let result = match (&f.key, f.grouping) {
            (None, _) => Value::List(list),
            (Some(_), false) => Value::map(object),
            (Some(_), true) => Value::map(
                groups
                    .into_iter()
                    .map(|(key, values)| (key, Value::List(values)))
                    .collect(),
            ),
        };
        self.charge(result, span)
    }

    /// The condition, key and value of one iteration, with its variables bound.
    fn iteration(&mut self, f: &'a ForExpr, ctx: Ctx) -> Produced {
        if let Some(cond) = &f.cond {
            match self.eval(cond, ctx) {
                Value::Bool(true) => {}
                Value::Bool(false) => return Produced::Skipped,
                Value::Unknown => return Produced::Unknown,
                other => {
                    self.report(
                        type_error(
                            cond.span,
                            format!(
                                "a `for` condition must be a bool, found {}",
                                other.type_name()
                            ),
                        )
                        .with_help("compare the value, e.g. `if s != \"\"`"),
                    );
                    return Produced::Unknown;
                }
            }
        }
        let key = match &f.key {
            None => None,
            Some(key) => {
                let value = self.eval(key, ctx);
                match self.object_key(value, key.span) {
                    Some(k) => Some((k, key.span)),
                    None => return Produced::Unknown,
                }
            }
        };
        Produced::Item(key, self.eval(&f.value, ctx))
    }

    /// `source[*].attr`: `each` for every element of the source list. As in Terraform,
    /// null is an empty list and any other single value a list of one; an object is an
    /// error, since its values are not in an order the author chose.
    pub(super) fn splat(
        &mut self,
        source: &'a Expr,
        each: &'a Expr,
        span: Span,
        ctx: Ctx,
    ) -> Value {
        let items = match self.eval(source, ctx) {
            Value::Unknown => return Value::Unknown,
            Value::Null => Vec::new(),
            Value::List(items) => items,
            Value::Map(_) => {
                self.report(
                    type_error(
                        source.span,
                        "a splat applies to a list, found an object".into(),
                    )
                    .with_help(splat_on_object_help(source)),
                );
                return Value::Unknown;
            }
            single => vec![single],
        };
        let mut out = Vec::with_capacity(items.len());
        for item in items {
            if !self.charge_iteration(&item, source.span) {
                return Value::Unknown;
            }
            self.scope.push((SPLAT_ELEMENT, item));
            let value = self.eval(each, ctx);
            self.scope.pop();
            out.push(value);
        }
        self.charge(Value::List(out), span)
    }
}

/// `values(SOURCE)[*]...`, written with the source as the author wrote it when it is a
/// plain reference.
fn splat_on_object_help(source: &Expr) -> String {
    let written = source.as_path().map(|path| {
        path.iter()
            .map(|ident: &&Ident| ident.name.as_str())
            .collect::<Vec<_>>()
            .join(".")
    });
    match written {
        Some(path) => format!("apply it to the object's values, in key order: `values({path})[*]`"),
        None => "apply it to the object's values, in key order: `values(...)[*]`".into(),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;
    use vpce_diagnostics::{Code, Diagnostic};

    use crate::{evaluate, value_of as value, Model};

    /// The one diagnostic `expr` gives: its code and message.
    fn error(prelude: &str, expr: &str) -> (Code, String) {
        let (value, diagnostics) = evaluate(prelude, expr);
        assert_eq!(value, None, "{expr}");
        match &diagnostics[..] {
            [one] => (one.code, one.message.clone()),
            _ => panic!("{expr}: expected one diagnostic, got {diagnostics:#?}"),
        }
    }

    fn help(diagnostic: &Diagnostic) -> &str {
        diagnostic.help.as_deref().unwrap_or("")
    }

    #[test]
    fn list_form_maps_elements_and_indexes() {
        assert_eq!(
            value("", r#"[for s in ["ssm", "kms"] : upper(s)]"#),
            json!(["SSM", "KMS"])
        );
        assert_eq!(
            value("", r#"[for i, s in ["ssm", "kms"] : "${i}-${s}"]"#),
            json!(["0-ssm", "1-kms"])
        );
        assert_eq!(value("", "[for s in [] : s]"), json!([]));
    }

    #[test]
    fn objects_are_iterated_in_byte_wise_key_order() {
        assert_eq!(
            value("", r#"[for k, v in { b = 2, a = 1, B = 3 } : "${k}=${v}"]"#),
            json!(["B=3", "a=1", "b=2"])
        );
        // One variable over an object binds the value.
        assert_eq!(value("", "[for v in { b = 2, a = 1 } : v]"), json!([1, 2]));
    }

    #[test]
    fn object_form_with_a_filter() {
        assert_eq!(
            value(
                "",
                r#"{ for k, v in { app = 1, spare = 2, data = 3 } : k => cidrsubnet("10.0.0.0/16", 8, v) if k != "spare" }"#
            ),
            json!({"app": "10.0.1.0/24", "data": "10.0.3.0/24"})
        );
        assert_eq!(
            value("", r#"[for s in ["a", "", "b"] : s if s != ""]"#),
            json!(["a", "b"])
        );
        // Numbers become keys as they print.
        assert_eq!(
            value("", r#"{ for i, s in ["a", "b"] : i => s }"#),
            json!({"0": "a", "1": "b"})
        );
    }

    #[test]
    fn grouping_collects_the_values_of_one_key() {
        assert_eq!(
            value(
                "",
                r#"{ for p in [["a", 1], ["b", 2], ["a", 3]] : p[0] => p[1]... }"#
            ),
            json!({"a": [1, 3], "b": [2]})
        );
    }

    #[test]
    fn nested_for_sees_the_outer_variables() {
        assert_eq!(
            value("", "[for a in [1, 2] : [for b in [10, 20] : a + b]]"),
            json!([[11, 21], [12, 22]])
        );
        // An inner variable of the same name hides the outer one.
        assert_eq!(
            value("", "[for a in [1, 2] : [for a in [5] : a]]"),
            json!([[5], [5]])
        );
    }

    #[test]
    fn for_over_locals_and_variables() {
        let prelude = r#"
variable "services" {
  type    = list(string)
  default = ["ssm", "kms"]
}
locals {
  region = "eu-west-1"
  names  = [for s in var.services : "com.amazonaws.${local.region}.${s}"]
}"#;
        assert_eq!(
            value(prelude, "local.names"),
            json!(["com.amazonaws.eu-west-1.ssm", "com.amazonaws.eu-west-1.kms"])
        );
    }

    #[test]
    fn a_local_read_inside_a_for_does_not_see_its_variables() {
        let prelude = r#"
locals {
  a = [for s in ["x"] : local.b]
  b = s
}"#;
        let (_, diagnostics) = evaluate(prelude, "local.a");
        assert_eq!(diagnostics.len(), 1, "{diagnostics:#?}");
        assert_eq!(diagnostics[0].code, Code::UnresolvedReference);
        assert_eq!(diagnostics[0].message, "unknown name `s`");
    }

    #[test]
    fn duplicate_keys_need_grouping() {
        let (value, diagnostics) = evaluate("", r#"{ for s in ["a", "b", "a"] : s => 1 }"#);
        assert_eq!(value, None);
        assert_eq!(diagnostics.len(), 1, "{diagnostics:#?}");
        assert_eq!(diagnostics[0].code, Code::InvalidValue);
        assert_eq!(diagnostics[0].message, "two elements give the key `a`");
        assert!(help(&diagnostics[0]).contains("`...`"));
    }

    #[test]
    fn wrong_types_are_v104() {
        assert_eq!(
            error("", r#"[for s in "abc" : s]"#),
            (
                Code::TypeMismatch,
                "a `for` expression iterates a list or an object, found a string".into()
            )
        );
        assert_eq!(
            error("", "[for s in null : s]").1,
            "a `for` expression iterates a list or an object, found null"
        );
        assert_eq!(
            error("", r#"[for s in ["a"] : s if s]"#),
            (
                Code::TypeMismatch,
                "a `for` condition must be a bool, found a string".into()
            )
        );
        assert_eq!(
            error("", r#"{ for s in [true] : s => 1 }"#),
            (
                Code::TypeMismatch,
                "an object key must be a string, found a bool".into()
            )
        );
        let prelude = "route_table \"a\" { vpc = vpc.probe }";
        let (_, diagnostics) = evaluate(prelude, "[for r in route_table.a : r]");
        assert_eq!(diagnostics.len(), 1, "{diagnostics:#?}");
        assert!(help(&diagnostics[0]).contains("`[KIND.NAME]`"));
    }

    #[test]
    fn iteration_variables_cannot_hide_references() {
        for name in ["var", "local", "each", "vpc", "subnet", "endpoint"] {
            let (code, message) = error("", &format!("[for {name} in [1] : 1]"));
            assert_eq!(code, Code::SyntaxError);
            assert_eq!(message, format!("`{name}` cannot name a `for` variable"));
        }
        assert_eq!(
            error("", "[for s, s in [1] : s]"),
            (
                Code::SyntaxError,
                "both `for` variables are named `s`".into()
            )
        );
    }

    #[test]
    fn nested_iteration_is_bounded_by_the_budget() {
        // 10^10 iterations that build nothing: iterating is charged, so this stops.
        let (value, diagnostics) = evaluate(
            "",
            "[for i in range(100000) : [for j in range(100000) : j if false]]",
        );
        assert_eq!(value, None);
        assert!(
            diagnostics
                .iter()
                .any(|d| d.code == Code::ValueTooLarge && d.message.contains("128 MiB")),
            "{diagnostics:#?}"
        );
        // Results that grow: the same budget.
        let (_, diagnostics) = evaluate(
            "",
            "[for i in range(100000) : [for j in range(100000) : \"${i}-${j}\"]]",
        );
        assert_eq!(
            diagnostics
                .iter()
                .filter(|d| d.code == Code::ValueTooLarge)
                .count(),
            1,
            "{diagnostics:#?}"
        );
    }

    #[test]
    fn the_largest_for_result_is_allowed() {
        let json = value("", "length([for i in range(100000) : i])");
        assert_eq!(json, json!(100000));
    }

    #[test]
    fn splats_apply_to_each_element() {
        assert_eq!(value("", "[{ a = 1 }, { a = 2 }][*].a"), json!([1, 2]));
        assert_eq!(value("", "[{ a = 1 }, { a = 2 }].*.a"), json!([1, 2]));
        assert_eq!(value("", "[[1, 2], [3]][*][0]"), json!([1, 3]));
        // After `.*`, only attribute accesses apply to each element; an index applies
        // to the list of results.
        assert_eq!(
            value("", "[{ a = [1, 2] }, { a = [3, 4] }].*.a[0]"),
            json!([1, 2])
        );
        assert_eq!(
            value("", "[{ a = [1, 2] }, { a = [3, 4] }][*].a[0]"),
            json!([1, 3])
        );
        assert_eq!(
            value("", "[[{ a = 1 }], [{ a = 2 }, { a = 3 }]][*][*].a"),
            json!([[1], [2, 3]])
        );
        assert_eq!(value("", "[\"x\", \"y\"][*]"), json!(["x", "y"]));
        // As in Terraform: null is an empty list, a single value a list of one.
        assert_eq!(value("", "null[*]"), json!([]));
        assert_eq!(value("", "\"x\"[*]"), json!(["x"]));
        assert_eq!(
            value(
                "locals { subnets = [{ az = \"euw1-az1\" }] }",
                "local.subnets[*].az"
            ),
            json!(["euw1-az1"])
        );
    }

    #[test]
    fn a_splat_on_an_object_says_to_use_values() {
        let (value, diagnostics) = evaluate("locals { m = { a = { x = 1 } } }", "local.m[*].x");
        assert_eq!(value, None);
        assert_eq!(diagnostics.len(), 1, "{diagnostics:#?}");
        assert_eq!(diagnostics[0].code, Code::TypeMismatch);
        assert_eq!(
            diagnostics[0].message,
            "a splat applies to a list, found an object"
        );
        assert_eq!(
            help(&diagnostics[0]),
            "apply it to the object's values, in key order: `values(local.m)[*]`"
        );
        let (_, diagnostics) = evaluate("", "values({ a = { x = 1 } })[*].x");
        assert!(diagnostics.is_empty(), "{diagnostics:#?}");
        // A missing attribute is reported at the attribute, once per element.
        let (_, diagnostics) = evaluate("", "[{ a = 1 }][*].b");
        assert_eq!(diagnostics.len(), 1, "{diagnostics:#?}");
        assert_eq!(diagnostics[0].message, "the object has no key `b`");
    }

    const NETWORK: &str = r#"
route_table "private" { vpc = vpc.probe }
subnet "a" {
  vpc         = vpc.probe
  az          = "euw1-az1"
  cidr        = "10.0.1.0/24"
  route_table = route_table.private
}
subnet "b" {
  vpc  = vpc.probe
  az   = "euw1-az2"
  cidr = "10.0.2.0/24"
}
security_group "endpoints" { vpc = vpc.probe }
"#;

    #[test]
    fn splats_read_attributes_of_references() {
        assert_eq!(
            value(NETWORK, "[subnet.a, subnet.b][*].az"),
            json!(["euw1-az1", "euw1-az2"])
        );
        assert_eq!(
            value(NETWORK, "values({ y = subnet.b, x = subnet.a }).*.cidr"),
            json!(["10.0.1.0/24", "10.0.2.0/24"])
        );
        assert_eq!(value(NETWORK, "subnet.a[*].az"), json!(["euw1-az1"]));
        assert_eq!(
            value(
                NETWORK,
                "[for s in [subnet.a, subnet.b] : s.cidr if s.az != \"euw1-az2\"]"
            ),
            json!(["10.0.1.0/24"])
        );
    }

    fn model(text: &str) -> (Model, Vec<Diagnostic>) {
        let text = format!(
            "region = \"eu-west-1\"\nvpc \"probe\" {{ cidr = \"10.0.0.0/16\" }}\n{NETWORK}{text}"
        );
        let mut sources = vpce_diagnostics::SourceMap::new();
        let file = sources.add("main.hcl", text.as_str());
        let (body, _) = vpce_syntax::parse_file(file, &text);
        let files = [crate::ParsedFile {
            file,
            body: body.expect("the text parses"),
        }];
        crate::resolve(&files, &[], &[], &crate::NoFiles, &mut sources)
    }

    /// The names of the objects a list of references names.
    fn names<T: crate::Object>(model: &Model, ids: &[crate::Spanned<crate::Id<T>>]) -> Vec<String> {
        ids.iter()
            .map(|id| model.name_of(id.value.obj_ref()).to_string())
            .collect()
    }

    #[test]
    fn locals_hold_references_for_every_list_of_references() {
        let (model, diagnostics) = model(
            r#"
locals {
  private   = [subnet.a, subnet.b]
  by_az     = { z = subnet.b, y = subnet.a }
  groups    = [security_group.endpoints]
  tables    = [route_table.private]
  balancers = [load_balancer.nlb]
}
load_balancer "nlb" {
  type    = "network"
  subnets = local.private
}
endpoint_service "svc" { load_balancers = local.balancers }
endpoint "ssm" {
  type            = "interface"
  service         = "ssm"
  vpc             = vpc.probe
  subnets         = [for s in local.private : s]
  security_groups = local.groups
}
endpoint "kms" {
  type            = "interface"
  service         = "kms"
  vpc             = vpc.probe
  subnets         = values(local.by_az)
  security_groups = [{ g = security_group.endpoints }][*].g
}
endpoint "s3" {
  type         = "gateway"
  service      = "s3"
  vpc          = vpc.probe
  route_tables = local.tables
}
security_group "app" {
  vpc = vpc.probe
  ingress {
    protocol        = "tcp"
    ports           = 443
    security_groups = local.groups
  }
}
"#,
        );
        assert!(diagnostics.is_empty(), "{diagnostics:#?}");
        let (_, lb) = model.load_balancers.get("nlb").unwrap();
        assert_eq!(names(&model, &lb.subnets), ["a", "b"]);
        let (_, svc) = model.endpoint_services.get("svc").unwrap();
        assert_eq!(names(&model, &svc.load_balancers), ["nlb"]);
        let (_, ssm) = model.endpoints.get("ssm").unwrap();
        assert_eq!(names(&model, &ssm.subnets), ["a", "b"]);
        assert_eq!(names(&model, &ssm.security_groups), ["endpoints"]);
        let (_, kms) = model.endpoints.get("kms").unwrap();
        // `values` is in key order: `y` (subnet.a) before `z`.
        assert_eq!(names(&model, &kms.subnets), ["a", "b"]);
        assert_eq!(names(&model, &kms.security_groups), ["endpoints"]);
        let (_, s3) = model.endpoints.get("s3").unwrap();
        assert_eq!(names(&model, &s3.route_tables), ["private"]);
        let (_, app) = model.security_groups.get("app").unwrap();
        assert_eq!(
            names(&model, &app.ingress[0].security_groups),
            ["endpoints"]
        );
    }

    #[test]
    fn a_reference_of_the_wrong_kind_through_a_local_is_reported() {
        let (_, diagnostics) = model(
            r#"
locals { private = [subnet.a, security_group.endpoints] }
load_balancer "nlb" {
  type    = "network"
  subnets = local.private
}
"#,
        );
        assert_eq!(diagnostics.len(), 1, "{diagnostics:#?}");
        assert_eq!(diagnostics[0].code, Code::WrongReferenceKind);
    }
}

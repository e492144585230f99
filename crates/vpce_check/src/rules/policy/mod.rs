//! Endpoint policy rules (V7xx): the IAM policy document on an endpoint's `policy`.
//!
//! Every rule here skips gateway load balancer endpoints: AWS takes no policy on them,
//! and V505 (gwlb-invalid-attribute) reports the attribute itself, so the content of
//! such a policy is not worth a second finding. V701-V705 also skip a policy that V700
//! reports (not JSON, or not the shape of a policy).

mod policy_denies_all;
mod policy_foreign_action;
mod policy_full_access;
mod policy_invalid;
mod policy_statement_invalid;
mod policy_too_large;
mod policy_unsupported;

pub use policy_denies_all::PolicyDeniesAll;
pub use policy_foreign_action::PolicyForeignAction;
pub use policy_full_access::PolicyFullAccess;
pub use policy_invalid::PolicyInvalid;
pub use policy_statement_invalid::PolicyStatementInvalid;
pub use policy_too_large::PolicyTooLarge;
pub use policy_unsupported::PolicyUnsupported;

use std::borrow::Cow;

use serde_json::{Map, Value};
use vpce_diagnostics::Span;
use vpce_model::{
    spans::{SpanTree, Step},
    Endpoint, EndpointType, Id, Model, Policy,
};

/// An endpoint's policy, as rules see it.
struct EndpointPolicy<'m> {
    id: Id<Endpoint>,
    endpoint: &'m Endpoint,
    /// `None` when the endpoint's type is unknown (already reported).
    endpoint_type: Option<EndpointType>,
    policy: &'m Policy,
    /// The value of `policy`.
    span: Span,
    /// Where its parts were written, when written as an HCL object.
    spans: Option<&'m SpanTree>,
}

impl EndpointPolicy<'_> {
    /// Where a part of the policy was written (`path` from the document's root), or the
    /// deepest part of it written literally.
    fn span_at(&self, path: &[Step<'_>]) -> Span {
        self.spans.map_or(self.span, |tree| tree.span_at(path))
    }

    /// The path of the `index`th statement: `Statement` is one statement or a list.
    fn statement_path(doc: &Value, index: usize) -> Vec<Step<'static>> {
        match doc.get("Statement") {
            Some(Value::Array(_)) => vec![Step::Key("Statement"), Step::Index(index)],
            _ => vec![Step::Key("Statement")],
        }
    }

    /// `endpoint.s3`.
    fn owner(&self, model: &Model) -> String {
        model.address(self.id.obj_ref())
    }
}

/// The endpoints with a policy, in source order, but not gateway load balancer
/// endpoints (see the module comment).
fn endpoint_policies(model: &Model) -> impl Iterator<Item = EndpointPolicy<'_>> {
    model.endpoints.iter().filter_map(|(id, endpoint)| {
        let policy = endpoint.policy.as_ref()?;
        let endpoint_type = endpoint.endpoint_type.as_ref().map(|t| t.value);
        (endpoint_type != Some(EndpointType::GatewayLoadBalancer)).then_some(EndpointPolicy {
            id,
            endpoint,
            endpoint_type,
            policy: &policy.value,
            span: policy.span,
            spans: endpoint.policy_spans.as_ref(),
        })
    })
}

/// The policy as JSON: the document written in HCL, or the JSON text parsed.
fn parse(policy: &Policy) -> Result<Cow<'_, Value>, serde_json::Error> {
    vpce_model::policy::document(policy)
}

/// Why a parsed policy is not the shape of a policy document, or `None`.
enum ShapeProblem<'v> {
    NotAnObject(&'v Value),
    NoStatement(&'v Map<String, Value>),
    StatementType(&'v Value),
    /// The 0-based index of the first statement that is not an object, and that item.
    StatementItem(usize, &'v Value),
}

/// The statements of a well-shaped policy: an object whose `Statement` is one
/// statement object or a list of them.
fn statements(doc: &Value) -> Result<Vec<&Map<String, Value>>, ShapeProblem<'_>> {
    let Value::Object(map) = doc else {
        return Err(ShapeProblem::NotAnObject(doc));
    };
    let Some(statement) = map.get("Statement") else {
        return Err(ShapeProblem::NoStatement(map));
    };
    match statement {
        Value::Object(one) => Ok(vec![one]),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .map(|(index, item)| match item {
                Value::Object(one) => Ok(one),
                other => Err(ShapeProblem::StatementItem(index, other)),
            })
            .collect(),
        other => Err(ShapeProblem::StatementType(other)),
    }
}

/// The statements of a policy that parses and has the shape of a policy; `None` when
/// V700 reports it.
fn valid_statements(doc: &Value) -> Option<Vec<&Map<String, Value>>> {
    vpce_model::policy::statements(doc)
}

/// A JSON value's type as messages name it.
fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a bool",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// `"*"` or `["*"]`.
fn is_star(value: Option<&Value>) -> bool {
    match value {
        Some(Value::String(s)) => s == "*",
        Some(Value::Array(items)) => matches!(items.as_slice(), [Value::String(s)] if s == "*"),
        _ => false,
    }
}

/// Whether a policy is the default full-access policy written out: one statement that
/// allows every action on every resource to every principal (`"*"` or
/// `{"AWS": "*"}`), with no condition and nothing else but a `Sid`, in a document with
/// nothing else but `Version` and `Id`.
fn is_full_access(doc: &Value) -> bool {
    let Value::Object(map) = doc else {
        return false;
    };
    if map
        .keys()
        .any(|k| !matches!(k.as_str(), "Version" | "Id" | "Statement"))
    {
        return false;
    }
    let Some(statements) = valid_statements(doc) else {
        return false;
    };
    let [statement] = statements.as_slice() else {
        return false;
    };
    let principal = match statement.get("Principal") {
        Some(Value::Object(p)) => p.len() == 1 && is_star(p.get("AWS")),
        other => is_star(other),
    };
    statement.keys().all(|k| {
        matches!(
            k.as_str(),
            "Sid" | "Effect" | "Principal" | "Action" | "Resource"
        )
    }) && statement.get("Effect").and_then(Value::as_str) == Some("Allow")
        && principal
        && is_star(statement.get("Action"))
        && is_star(statement.get("Resource"))
}

/// How a statement is named in messages: `statement 2` (1-based), with its `Sid` when
/// it has one.
fn statement_name(index: usize, statement: &Map<String, Value>) -> String {
    match statement.get("Sid").and_then(Value::as_str) {
        Some(sid) if !sid.is_empty() => format!("statement {} (`{sid}`)", index + 1),
        _ => format!("statement {}", index + 1),
    }
}

#[cfg(test)]
use crate::testing::lines_of;

/// Test support: a VPC with an S3 gateway endpoint and an interface endpoint to
/// `service`, each with the policy attribute given (a whole `policy = ...` line or
/// block, or nothing). The S3 endpoint starts on line 17 and its policy on line 22;
/// with no S3 policy, the other endpoint starts on line 24 and its policy on line 29.
#[cfg(test)]
fn with_policies(s3_policy: &str, service: &str, policy: &str) -> String {
    format!(
        r#"region = "eu-west-1"

vpc "main" {{
  cidr          = "10.0.0.0/16"
  dns_hostnames = true
}}

route_table "private" {{ vpc = vpc.main }}

subnet "a" {{
  vpc         = vpc.main
  az          = "euw1-az1"
  cidr        = "10.0.1.0/24"
  route_table = route_table.private
}}

endpoint "s3" {{
  type         = "gateway"
  service      = "s3"
  vpc          = vpc.main
  route_tables = [route_table.private]
{s3_policy}}}

endpoint "other" {{
  type    = "interface"
  service = "{service}"
  vpc     = vpc.main
  subnets = [subnet.a]
{policy}}}
"#
    )
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn full_access_policies() {
        for doc in [
            json!({"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}]}),
            json!({"Version": "2012-10-17", "Statement": {"Sid": "All", "Effect": "Allow", "Principal": {"AWS": "*"}, "Action": ["*"], "Resource": ["*"]}}),
        ] {
            assert!(is_full_access(&doc), "{doc}");
        }
        for doc in [
            json!({"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:*", "Resource": "*"}]}),
            json!({"Statement": [{"Effect": "Deny", "Principal": "*", "Action": "*", "Resource": "*"}]}),
            json!({"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}),
            json!({"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*",
                "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-1"}}}]}),
            json!({"Statement": [
                {"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"},
                {"Effect": "Deny", "Principal": "*", "Action": "s3:DeleteObject", "Resource": "*"}]}),
            json!({"Statement": [{"Effect": "Allow", "Principal": {"AWS": "*", "Service": "x"}, "Action": "*", "Resource": "*"}]}),
            json!({"Statement": [{"Effect": "Allow", "Principal": "*", "Action": ["*", "s3:*"], "Resource": "*"}]}),
        ] {
            assert!(!is_full_access(&doc), "{doc}");
        }
    }

    #[test]
    fn statement_shapes() {
        assert_eq!(
            statements(&json!({"Statement": {}})).ok().map(|s| s.len()),
            Some(1)
        );
        assert_eq!(
            statements(&json!({"Statement": [{}, {}]}))
                .ok()
                .map(|s| s.len()),
            Some(2)
        );
        assert!(matches!(
            statements(&json!([])),
            Err(ShapeProblem::NotAnObject(_))
        ));
        assert!(matches!(
            statements(&json!({})),
            Err(ShapeProblem::NoStatement(_))
        ));
        assert!(matches!(
            statements(&json!({"Statement": "x"})),
            Err(ShapeProblem::StatementType(_))
        ));
        assert!(matches!(
            statements(&json!({"Statement": [{}, 1]})),
            Err(ShapeProblem::StatementItem(1, _))
        ));
    }
}

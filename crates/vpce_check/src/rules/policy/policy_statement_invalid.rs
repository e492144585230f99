use serde_json::{Map, Value};
use vpce_diagnostics::{suggest, Code, Diagnostic};

use super::{endpoint_policies, parse, statement_name, valid_statements, EndpointPolicy};
use crate::{Rule, RuleCx};

/// V702: a statement of an endpoint policy without `Effect` set to `Allow` or `Deny`,
/// without `Action` or `NotAction`, or with a key that a statement does not take.
///
/// An endpoint policy follows the IAM policy grammar (AWS-FACTS §3.8): every statement
/// has `Effect` (`Allow` or `Deny`, case-sensitive) and `Action` or `NotAction`, and
/// takes only `Sid`, `Effect`, `Principal`/`NotPrincipal`, `Action`/`NotAction`,
/// `Resource`/`NotResource` and `Condition`. vpce also reports a statement that has
/// both halves of one of these pairs, which the grammar does not allow. AWS rejects
/// such a policy when the endpoint is created or modified. Condition keys are not
/// checked: AWS does not validate them either ("I can push an endpoint policies with
/// unsupported conditions or with typos", aws-samples/data-perimeter-policy-examples#21).
///
/// One diagnostic per faulty statement, naming the statement (1-based, with its `Sid`)
/// and each fault. Policies that are not JSON or not the shape of a policy are V700's;
/// policies of gateway load balancer endpoints are left to V505.
///
/// AWS: <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html>.
pub struct PolicyStatementInvalid;

const KEYS: &[&str] = &[
    "Sid",
    "Effect",
    "Principal",
    "NotPrincipal",
    "Action",
    "NotAction",
    "Resource",
    "NotResource",
    "Condition",
];

/// The faults of a statement, each as a phrase, and the help for the first one.
fn faults(statement: &Map<String, Value>) -> (Vec<String>, Option<String>) {
    let mut found = Vec::new();
    let mut help: Option<String> = None;
    let mut rename: Option<String> = None;
    let mut note = |fault: String, fix: String, found: &mut Vec<String>| {
        found.push(fault);
        help.get_or_insert(fix);
    };
    match statement.get("Effect") {
        None => note(
            "has no `Effect`".into(),
            "add `Effect = \"Allow\"` (or `\"Deny\"`) to the statement".into(),
            &mut found,
        ),
        Some(Value::String(effect)) if effect == "Allow" || effect == "Deny" => {}
        Some(Value::String(effect)) => note(
            format!("has `Effect` `{effect}`, not `Allow` or `Deny`"),
            format!(
                "write `Effect = \"{}\"`: the value is case-sensitive",
                if effect.eq_ignore_ascii_case("deny") {
                    "Deny"
                } else {
                    "Allow"
                }
            ),
            &mut found,
        ),
        Some(other) => note(
            format!("has an `Effect` that is {}", super::json_type(other)),
            "write `Effect = \"Allow\"` or `Effect = \"Deny\"`".into(),
            &mut found,
        ),
    }
    let has = |key: &str| statement.contains_key(key);
    if !has("Action") && !has("NotAction") {
        note(
            "has no `Action` or `NotAction`".into(),
            "add `Action` with the actions the statement covers, e.g. `Action = [\"s3:GetObject\"]`".into(),
            &mut found,
        );
    }
    for (key, not_key) in [
        ("Action", "NotAction"),
        ("Principal", "NotPrincipal"),
        ("Resource", "NotResource"),
    ] {
        if has(key) && has(not_key) {
            note(
                format!("has both `{key}` and `{not_key}`"),
                format!("keep one of `{key}` and `{not_key}`"),
                &mut found,
            );
        }
    }
    for key in statement.keys() {
        if KEYS.contains(&key.as_str()) {
            continue;
        }
        let fault = format!("has an unknown key `{key}`");
        match suggest(key, KEYS.iter().copied()) {
            // A misspelt key explains the other faults best: its fix goes first.
            Some(known) => {
                found.push(fault);
                rename.get_or_insert(format!("rename `{key}` to `{known}`"));
            }
            None => note(
                fault,
                format!(
                    "remove `{key}`: a statement takes only `Sid`, `Effect`, `Principal`, `NotPrincipal`, `Action`, `NotAction`, `Resource`, `NotResource` and `Condition`"
                ),
                &mut found,
            ),
        }
    }
    (found, rename.or(help))
}

/// Where a faulty statement is labelled: a key it does not take, else a wrong
/// `Effect`, else the whole statement (something is missing from it).
fn focus(
    item: &EndpointPolicy<'_>,
    doc: &Value,
    index: usize,
    statement: &Map<String, Value>,
) -> vpce_diagnostics::Span {
    let path = EndpointPolicy::statement_path(doc, index);
    let unknown = statement.keys().find(|k| !KEYS.contains(&k.as_str()));
    if let Some(span) = unknown.and_then(|k| item.spans?.key_span(&path, k)) {
        return span;
    }
    let effect_ok =
        matches!(statement.get("Effect"), Some(Value::String(e)) if e == "Allow" || e == "Deny");
    if statement.contains_key("Effect") && !effect_ok {
        let mut at = path.clone();
        at.push(vpce_model::spans::Step::Key("Effect"));
        return item.span_at(&at);
    }
    item.span_at(&path)
}

/// `a`, `a and b`, `a, b and c`.
fn and(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

impl Rule for PolicyStatementInvalid {
    fn code(&self) -> Code {
        Code::PolicyStatementInvalid
    }

    fn check(&self, cx: &mut RuleCx<'_>) {
        let model = cx.model;
        for item in endpoint_policies(model) {
            let Ok(doc) = parse(item.policy) else {
                continue;
            };
            let Some(statements) = valid_statements(&doc) else {
                continue;
            };
            for (index, statement) in statements.iter().enumerate() {
                let (found, help) = faults(statement);
                if found.is_empty() {
                    continue;
                }
                let name = statement_name(index, statement);
                let focus = focus(&item, &doc, index, statement);
                let label = if focus == item.span {
                    format!("{name} is in this policy")
                } else {
                    name.clone()
                };
                cx.report(
                    Diagnostic::new(
                        Code::PolicyStatementInvalid,
                        format!(
                            "{name} of the policy of `{}` {}",
                            item.owner(model),
                            and(&found)
                        ),
                    )
                    .with_label(focus, label)
                    .with_help_opt(help),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::diagnostics_of;
    use serde_json::json;

    use super::super::{lines_of, with_policies};
    use super::faults;

    fn problems(statement: serde_json::Value) -> Vec<String> {
        let serde_json::Value::Object(map) = statement else {
            panic!("not an object")
        };
        faults(&map).0
    }

    #[test]
    fn faults_of_statements() {
        assert!(problems(
            json!({"Effect": "Allow", "Action": "s3:*", "Resource": "*", "Principal": "*"})
        )
        .is_empty());
        assert!(problems(
            json!({"Sid": "x", "Effect": "Deny", "NotAction": ["s3:Get*"], "NotResource": "*",
            "NotPrincipal": {"AWS": "*"}, "Condition": {}})
        )
        .is_empty());
        assert_eq!(problems(json!({"Action": "*"})), ["has no `Effect`"]);
        assert_eq!(
            problems(json!({"Effect": "allow", "Actions": "*"})),
            [
                "has `Effect` `allow`, not `Allow` or `Deny`",
                "has no `Action` or `NotAction`",
                "has an unknown key `Actions`"
            ]
        );
        assert_eq!(
            problems(json!({"Effect": "Allow", "Action": "*", "NotAction": "s3:*"})),
            ["has both `Action` and `NotAction`"]
        );
    }

    #[test]
    fn one_diagnostic_per_faulty_statement() {
        let policy = r#"  policy = {
    Statement = [
      {
        Effect   = "Allow"
        Action   = ["sqs:SendMessage"]
        Resource = "*"
      },
      {
        Sid      = "Typo"
        Effect   = "Allow"
        Actions  = ["sqs:ReceiveMessage"]
        Resource = "*"
      },
      {
        Action   = ["sqs:DeleteMessage"]
        Resource = "*"
      },
    ]
  }
"#;
        let hcl = with_policies("", "sqs", policy);
        assert_eq!(lines_of("V702", &hcl), [39, 42]);
        let outcome = diagnostics_of(&hcl);
        let messages: Vec<&str> = outcome
            .iter()
            .filter(|d| d.code.as_str() == "V702")
            .map(|d| d.message.as_str())
            .collect();
        assert_eq!(
            messages,
            [
                "statement 2 (`Typo`) of the policy of `endpoint.other` has no `Action` or `NotAction` and has an unknown key `Actions`",
                "statement 3 of the policy of `endpoint.other` has no `Effect`",
            ]
        );
    }
}

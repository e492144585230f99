use vpce_diagnostics::{did_you_mean, Code, Diagnostic};

use super::{endpoint_policies, json_type, parse, statements, ShapeProblem};
use crate::{Rule, RuleCx};

/// V700: an endpoint policy that is not JSON, or not a JSON object with a `Statement`
/// that is one statement object or a list of them.
///
/// An endpoint policy is an IAM resource policy document (`PolicyDocument` of
/// `AWS::EC2::VPCEndpoint`; AWS-FACTS §1.1 and §3.8): an object with `Version` and
/// `Statement`. AWS rejects anything else when the endpoint is created or modified.
/// For JSON text (`jsonencode(...)`, `file("policy.json")`) the message says where the
/// JSON goes wrong, by line and column of that text.
///
/// Policies on gateway load balancer endpoints are left to V505.
///
/// AWS: <https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html>.
pub struct PolicyInvalid;

impl Rule for PolicyInvalid {
    fn code(&self) -> Code {
        Code::PolicyInvalid
    }

    fn check(&self, cx: &mut RuleCx<'_>) {
        let model = cx.model;
        for item in endpoint_policies(model) {
            let owner = item.owner(model);
            let doc = match parse(item.policy) {
                Ok(doc) => doc,
                Err(error) => {
                    let (line, column) = (error.line(), error.column());
                    cx.report(
                        Diagnostic::new(
                            Code::PolicyInvalid,
                            format!("the policy of `{owner}` is not valid JSON: {error}"),
                        )
                        .with_label(
                            item.span,
                            format!("the error is at line {line}, column {column} of this JSON"),
                        )
                        .with_help("fix the JSON, or write the policy as an HCL object: `policy = { Statement = [...] }`"),
                    );
                    continue;
                }
            };
            let Err(problem) = statements(&doc) else {
                continue;
            };
            let (message, label, help) = match problem {
                ShapeProblem::NotAnObject(value) => (
                    format!("the policy of `{owner}` is {}, not a JSON object", json_type(value)),
                    json_type(value).to_string(),
                    "write the policy as an object with `Version` and `Statement`".to_string(),
                ),
                ShapeProblem::NoStatement(map) => (
                    format!("the policy of `{owner}` has no `Statement`"),
                    "no `Statement` in this policy".to_string(),
                    map.keys()
                        .find_map(|key| did_you_mean(key, ["Statement"]))
                        .unwrap_or_else(|| {
                            "add `Statement`, a list of statements with `Effect`, `Action` and `Resource`".into()
                        }),
                ),
                ShapeProblem::StatementType(value) => (
                    format!(
                        "`Statement` in the policy of `{owner}` is {}, not a list of statements",
                        json_type(value)
                    ),
                    format!("`Statement` is {}", json_type(value)),
                    "make `Statement` a list of statement objects: `Statement = [{ Effect = ..., Action = ..., Resource = ... }]`".to_string(),
                ),
                ShapeProblem::StatementItem(index, value) => (
                    format!(
                        "statement {} of the policy of `{owner}` is {}, not an object",
                        index + 1,
                        json_type(value)
                    ),
                    format!("statement {} is {}", index + 1, json_type(value)),
                    "write each statement as an object with `Effect`, `Action` and `Resource`".to_string(),
                ),
            };
            cx.report(
                Diagnostic::new(Code::PolicyInvalid, message)
                    .with_label(item.span, label)
                    .with_help(help),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::{lines_of, with_policies};
    use crate::testing::diagnostics_of;

    fn interface(policy: &str) -> String {
        with_policies("", "sqs", policy)
    }

    #[test]
    fn json_text_that_does_not_parse() {
        let hcl = interface("  policy = \"{\\\"Statement\\\": [}\"\n");
        assert_eq!(lines_of("V700", &hcl), [29]);
        let outcome = diagnostics_of(&hcl);
        let d = outcome.iter().find(|d| d.code.as_str() == "V700").unwrap();
        assert!(d.message.contains("at line 1 column 16"), "{}", d.message);
    }

    #[test]
    fn shapes_that_are_not_a_policy() {
        for policy in [
            "  policy = jsonencode([\"s3:GetObject\"])\n",
            "  policy = { Version = \"2012-10-17\" }\n",
            "  policy = { Statements = [] }\n",
            "  policy = { Statement = \"Allow\" }\n",
            "  policy = { Statement = [\"Allow\"] }\n",
        ] {
            assert_eq!(lines_of("V700", &interface(policy)), [29], "{policy}");
        }
    }

    #[test]
    fn valid_policies_pass() {
        let hcl = with_policies(
            "  policy = {\n    Statement = {\n      Effect    = \"Allow\"\n      Principal = \"*\"\n      Action    = \"s3:GetObject\"\n      Resource  = \"*\"\n    }\n  }\n",
            "sqs",
            "  policy = jsonencode({ Statement = [] })\n",
        );
        assert_eq!(lines_of("V700", &hcl), Vec::<usize>::new());
    }
}

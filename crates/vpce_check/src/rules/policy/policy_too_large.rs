use vpce_diagnostics::{thousands, Code, Diagnostic};

use super::{endpoint_policies, parse};
use crate::{Rule, RuleCx};

/// V701: an endpoint policy longer than 20,480 characters once written as compact JSON.
///
/// AWS caps an endpoint policy at 20,480 characters, "including white space", and the
/// quota is not adjustable (AWS-FACTS §3.7, PrivateLink quotas). vpce writes policies
/// as compact JSON (no whitespace) into the templates it generates, so this rule counts
/// the characters of that form: JSON text is parsed and re-serialised first, and a
/// policy that passes here is what AWS receives. A policy applied with other tools,
/// pretty-printed, counts its whitespace too.
///
/// Policies that are not JSON are V700's; policies of gateway load balancer endpoints
/// are left to V505.
///
/// AWS: <https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-limits-endpoints.html>.
pub struct PolicyTooLarge;

/// AWS's limit, in characters.
const LIMIT: usize = 20_480;

impl Rule for PolicyTooLarge {
    fn code(&self) -> Code {
        Code::PolicyTooLarge
    }

    fn check(&self, cx: &mut RuleCx<'_>) {
        let model = cx.model;
        for item in endpoint_policies(model) {
            let Ok(doc) = parse(item.policy) else {
                continue;
            };
            let Ok(compact) = serde_json::to_string(doc.as_ref()) else {
                continue;
            };
            let length = compact.chars().count();
            if length <= LIMIT {
                continue;
            }
            cx.report(
                Diagnostic::new(
                    Code::PolicyTooLarge,
                    format!(
                        "the policy of `{}` is {} characters long, more than the 20,480 AWS allows",
                        item.owner(model),
                        thousands(length)
                    ),
                )
                .with_label(
                    item.span,
                    format!("{} characters as compact JSON", thousands(length)),
                )
                .with_help(
                    "shorten the policy: merge statements that share an effect, and use wildcards or conditions instead of long lists",
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::{lines_of, with_policies};
    /// A policy with one statement whose `Resource` lists `count` bucket ARNs.
    fn policy(count: usize) -> String {
        let resources: Vec<String> = (0..count)
            .map(|i| format!("\"arn:aws:s3:::bucket-{i:05}/*\""))
            .collect();
        format!(
            "  policy = {{\n    Statement = [{{\n      Effect    = \"Allow\"\n      Principal = \"*\"\n      Action    = \"s3:GetObject\"\n      Resource  = [{}]\n    }}]\n  }}\n",
            resources.join(", ")
        )
    }

    #[test]
    fn too_long() {
        // Each resource is 29 characters plus a comma: 700 of them exceed the limit.
        let hcl = with_policies(&policy(700), "sqs", "");
        assert_eq!(lines_of("V701", &hcl), [22]);
    }

    #[test]
    fn within_the_limit() {
        let hcl = with_policies(&policy(600), "sqs", "");
        assert_eq!(lines_of("V701", &hcl), Vec::<usize>::new());
    }
}

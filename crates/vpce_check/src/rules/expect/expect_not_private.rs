use vpce_diagnostics::{Code, Diagnostic};
use vpce_reach::Verdict;

use super::{describe, expected_path, via};
use crate::{Rule, RuleCx};

/// V901: an `expect` with `private = true` whose path leaves the AWS network through an
/// internet or NAT gateway.
pub struct ExpectNotPrivate;

impl Rule for ExpectNotPrivate {
    fn code(&self) -> Code {
        Code::ExpectNotPrivate
    }

    fn check(&self, cx: &mut RuleCx<'_>) {
        let model = cx.model;
        for (_, expect) in model.expects.iter() {
            let Some(private) = expect.private.as_ref().filter(|p| p.value) else {
                continue;
            };
            if !expect.reachable {
                continue;
            }
            let Some(path) = expected_path(model, expect) else {
                continue;
            };
            // An endpoint reachable only by its own DNS name is V903's finding.
            if path.verdict != Verdict::Public || path.endpoint_dns_only.is_some() {
                continue;
            }
            let (from, to) = describe(model, expect);
            cx.report(
                Diagnostic::new(
                    Code::ExpectNotPrivate,
                    format!(
                        "expectation `{}` fails: `{from}` reaches `{to}` over the internet, through {}",
                        expect.common.name,
                        via(model, &path)
                    ),
                )
                .with_label(private.span, "expected a private path")
                .with_help(if to == "internet" {
                    "the internet is never reached privately: remove `private = true`".to_string()
                } else {
                    format!(
                        "add an endpoint for `{to}` in the VPC of `{from}` (an interface endpoint, or a gateway endpoint on its route table)"
                    )
                }),
            );
        }
    }
}

use vpce_diagnostics::{Code, Diagnostic};
use vpce_reach::Verdict;

use super::{describe, expected_path};
use crate::{Rule, RuleCx};

/// V900: an `expect` that needs a path (`reachable` is true, the default) where the
/// simulated network has none: the request would time out.
pub struct ExpectUnreachable;

impl Rule for ExpectUnreachable {
    fn code(&self) -> Code {
        Code::ExpectUnreachable
    }

    fn check(&self, cx: &mut RuleCx<'_>) {
        let model = cx.model;
        let gateway_only = crate::rules::gateway::GatewayOnly::new(model);
        for (_, expect) in model.expects.iter() {
            if !expect.reachable {
                continue;
            }
            let Some(path) = expected_path(model, expect) else {
                continue;
            };
            // An endpoint reachable only by its own DNS name is V903's finding.
            if path.verdict != Verdict::Unreachable || path.endpoint_dns_only.is_some() {
                continue;
            }
            // A gateway endpoint refusing traffic from outside its VPC is V305's finding.
            if gateway_only.for_expect(model, expect).is_some() {
                continue;
            }
            let (from, to) = describe(model, expect);
            let to_span = expect.to.as_ref().map_or(expect.common.header, |t| t.span);
            cx.report(
                Diagnostic::new(
                    Code::ExpectUnreachable,
                    format!("expectation `{}` fails: `{from}` cannot reach `{to}`", expect.common.name),
                )
                .with_label(to_span, format!("unreachable: {}", path.reason))
                .with_help(if path.reason.contains("security groups") {
                    format!("admit TCP 443 from `{from}` in the endpoint's security group")
                } else if to == "internet" && from.starts_with("remote_network.") {
                    "a remote network reaches the internet through its own network, not this VPC: expect `reachable = false`".to_string()
                } else if to == "internet" {
                    format!("route `0.0.0.0/0` from `{from}`'s route table to an internet or NAT gateway")
                } else {
                    format!(
                        "give `{from}` a path to `{to}`: an endpoint in its VPC, or a route to an internet or NAT gateway"
                    )
                }),
            );
        }
    }
}

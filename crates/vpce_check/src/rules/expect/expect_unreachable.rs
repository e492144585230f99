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
            if path.verdict != Verdict::Unreachable {
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
                .with_help(format!(
                    "give `{from}` a path to `{to}`: an endpoint in its VPC, or a route to an internet or NAT gateway"
                )),
            );
        }
    }
}

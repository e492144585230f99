use vpce_diagnostics::{Code, Diagnostic, Severity};
use vpce_reach::{Finding, Verdict};

use super::judged;
use crate::{Rule, RuleCx};

/// V900: an `expect` that needs a path (`reachable` is true, the default) where the
/// simulated network lets nothing through: no path (the request would time out), a
/// connection that awaits acceptance (`pending`), or an endpoint policy that allows
/// nothing (`denied`); the label says which. When the path is `unknown` (an existing
/// subnet whose route table is not described), the expectation is not judged: V900
/// says so as a note (severity info), and the plan shows `unknown`.
pub struct ExpectUnreachable;

impl Rule for ExpectUnreachable {
    fn code(&self) -> Code {
        Code::ExpectUnreachable
    }

    fn check(&self, cx: &mut RuleCx<'_>) {
        let model = cx.model;
        for (expect, judgement) in judged(cx, Finding::NotJudged) {
            let (from, to) = (&judgement.from, &judgement.to);
            let from_span = expect
                .from
                .as_ref()
                .map_or(expect.common.header, |f| f.span);
            cx.report(
                Diagnostic::new(
                    Code::ExpectUnreachable,
                    format!(
                        "expectation `{}` is not judged: whether `{from}` reaches `{to}` is unknown",
                        expect.common.shown()
                    ),
                )
                .with_severity(Severity::Info)
                .with_label(from_span, judgement.path.reason.clone())
                .with_help(format!(
                    "set `route_table` on `{from}` to the table it uses, so that its routes can be followed"
                )),
            );
        }
        let gateway_only = crate::rules::gateway::GatewayOnly::new(model);
        for (expect, judgement) in judged(cx, Finding::Unreachable) {
            // A gateway endpoint refusing traffic from outside its VPC is V305's finding.
            if gateway_only.for_expect(model, expect).is_some() {
                continue;
            }
            let (from, to) = (judgement.from.as_str(), judgement.to.as_str());
            let path = &judgement.path;
            let to_span = expect.to.as_ref().map_or(expect.common.header, |t| t.span);
            cx.report(
                Diagnostic::new(
                    Code::ExpectUnreachable,
                    format!("expectation `{}` fails: `{from}` cannot reach `{to}`", expect.common.shown()),
                )
                .with_label(to_span, format!("{}: {}", path.verdict.as_str(), path.reason))
                .with_help(match path.verdict {
                    Verdict::Pending => "have the service's owner accept the connection after deployment, or set `acceptance_required = false` on the service".to_string(),
                    Verdict::Denied => "allow the actions clients need in the endpoint's policy, or remove `policy`".to_string(),
                    _ if path.reason.contains("no route back") => {
                        format!("add a route to `{from}` in the route tables of the endpoint's subnets")
                    }
                    _ if path.reason.contains("security groups") => {
                        format!("admit TCP 443 from `{from}` in the endpoint's security group")
                    }
                    _ if to == "internet" && from.starts_with("remote_network.") => {
                        "a remote network reaches the internet through its own network, not this VPC: expect `reachable = false`".to_string()
                    }
                    _ if to == "internet" => {
                        format!("route `0.0.0.0/0` from `{from}`'s route table to an internet or NAT gateway")
                    }
                    _ => format!(
                        "give `{from}` a path to `{to}`: an endpoint in its VPC, or a route to an internet or NAT gateway"
                    ),
                }),
            );
        }
    }
}

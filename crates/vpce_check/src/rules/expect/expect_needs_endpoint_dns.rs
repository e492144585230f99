use vpce_diagnostics::{Code, Diagnostic};
use vpce_reach::Finding;

use super::judged;
use crate::{Rule, RuleCx};

/// V903: an `expect` for a private path that an interface endpoint provides only
/// through its own DNS name, because the endpoint's private DNS is off: clients using
/// the service's usual name go another way (or time out).
pub struct ExpectNeedsEndpointDns;

impl Rule for ExpectNeedsEndpointDns {
    fn code(&self) -> Code {
        Code::ExpectNeedsEndpointDns
    }

    fn check(&self, cx: &mut RuleCx<'_>) {
        let model = cx.model;
        for (expect, judgement) in judged(cx, Finding::EndpointDnsOnly) {
            let Some(endpoint) = judgement.path.endpoint_dns_only else {
                continue;
            };
            let (from, to) = (&judgement.from, &judgement.to);
            let endpoint_address = model.address(endpoint.obj_ref());
            let to_span = expect.to.as_ref().map_or(expect.common.header, |t| t.span);
            let endpoint_common = &model.endpoints[endpoint].common;
            cx.report(
                Diagnostic::new(
                    Code::ExpectNeedsEndpointDns,
                    format!(
                        "`{from}` reaches `{to}` privately only through `{endpoint_address}`'s own DNS name"
                    ),
                )
                .with_label(to_span, "clients using the service's usual name do not use the endpoint")
                .with_label(endpoint_common.value_span_or_header("private_dns"), "private DNS is off")
                .with_help(format!("set `private_dns = true` on `{endpoint_address}`, or point clients at its DNS name")),
            );
        }
    }
}

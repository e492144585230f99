use vpce_diagnostics::{Code, Diagnostic};
use vpce_reach::Finding;

use super::{judged, via};
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
        for (expect, judgement) in judged(cx, Finding::NotPrivate) {
            let Some(private) = &expect.private else {
                continue;
            };
            let (from, to) = (&judgement.from, &judgement.to);
            cx.report(
                Diagnostic::new(
                    Code::ExpectNotPrivate,
                    format!(
                        "expectation `{}` fails: `{from}` reaches `{to}` over the internet, through {}",
                        expect.common.shown(),
                        via(model, &judgement.path)
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

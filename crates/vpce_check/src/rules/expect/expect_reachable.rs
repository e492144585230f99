use vpce_diagnostics::{Code, Diagnostic};
use vpce_reach::{Finding, Verdict};

use super::{judged, via};
use crate::{Rule, RuleCx};

/// V902: an `expect` with `reachable = false` where a path exists, or one that awaits
/// only the service owner's acceptance (`pending`): accepting the connection opens it
/// without any change to the configuration. A path whose endpoint policy allows nothing
/// (`denied`) meets the expectation.
pub struct ExpectReachable;

impl Rule for ExpectReachable {
    fn code(&self) -> Code {
        Code::ExpectReachable
    }

    fn check(&self, cx: &mut RuleCx<'_>) {
        let model = cx.model;
        for (expect, judgement) in judged(cx, Finding::Reachable) {
            let (from, to) = (&judgement.from, &judgement.to);
            let path = &judgement.path;
            let span = expect.common.value_span_or_header("reachable");
            let message = if path.verdict == Verdict::Pending {
                format!(
                    "expectation `{}` fails: `{from}` reaches `{to}` through {} once the connection is accepted",
                    expect.common.shown(),
                    via(model, path)
                )
            } else {
                format!(
                    "expectation `{}` fails: `{from}` reaches `{to}` through {}",
                    expect.common.shown(),
                    via(model, path)
                )
            };
            cx.report(
                Diagnostic::new(Code::ExpectReachable, message)
                    .with_label(span, "expected no path")
                    .with_help(format!(
                        "remove the route or endpoint that lets `{from}` reach `{to}`"
                    )),
            );
        }
    }
}

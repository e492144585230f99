use vpce_diagnostics::{Code, Diagnostic};
use vpce_reach::Verdict;

use super::{describe, expected_path, via};
use crate::{Rule, RuleCx};

/// V902: an `expect` with `reachable = false` where a path exists.
pub struct ExpectReachable;

impl Rule for ExpectReachable {
    fn code(&self) -> Code {
        Code::ExpectReachable
    }

    fn check(&self, cx: &mut RuleCx<'_>) {
        let model = cx.model;
        for (_, expect) in model.expects.iter() {
            if expect.reachable {
                continue;
            }
            let Some(path) = expected_path(model, expect) else {
                continue;
            };
            if path.verdict == Verdict::Unreachable {
                continue;
            }
            let (from, to) = describe(model, expect);
            let span = expect.common.value_span_or_header("reachable");
            cx.report(
                Diagnostic::new(
                    Code::ExpectReachable,
                    format!(
                        "expectation `{}` fails: `{from}` reaches `{to}` through {}",
                        expect.common.name,
                        via(model, &path)
                    ),
                )
                .with_label(span, "expected no path")
                .with_help(format!(
                    "remove the route or endpoint that lets `{from}` reach `{to}`"
                )),
            );
        }
    }
}

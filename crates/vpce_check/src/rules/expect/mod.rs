//! Expectations (V900-V903): `expect` blocks checked against the simulated network.

mod expect_needs_endpoint_dns;
mod expect_not_private;
mod expect_reachable;
mod expect_unreachable;

pub use expect_needs_endpoint_dns::ExpectNeedsEndpointDns;
pub use expect_not_private::ExpectNotPrivate;
pub use expect_reachable::ExpectReachable;
pub use expect_unreachable::ExpectUnreachable;

use vpce_model::{Expect, Model};
use vpce_reach::{Finding, Judgement, Reach};

use crate::RuleCx;

/// The expectations judged with the rule's finding.
pub(crate) fn judged<'m>(
    cx: &RuleCx<'m>,
    finding: Finding,
) -> impl Iterator<Item = &'m (&'m Expect, Judgement)> + 'm {
    cx.judgements
        .iter()
        .filter(move |(_, judgement)| judgement.finding == Some(finding))
}

/// "through `endpoint.s3`" or "through `nat_gateway.a`, `internet_gateway.main`".
pub(crate) fn via(model: &Model, path: &Reach) -> String {
    path.via
        .iter()
        .map(|o| format!("`{}`", model.address(*o)))
        .collect::<Vec<_>>()
        .join(", ")
}

use vpce_diagnostics::Code;

use crate::{Rule, RuleCx};

/// V504: SCAFFOLD, not implemented yet. a route targets a gateway or interface endpoint (only GWLB endpoints are route targets)
pub struct RouteTargetNotGwlb;

impl Rule for RouteTargetNotGwlb {
    fn code(&self) -> Code {
        Code::RouteTargetNotGwlb
    }

    fn check(&self, _cx: &mut RuleCx<'_>) {}
}

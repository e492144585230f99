use vpce_diagnostics::Code;

use crate::{Rule, RuleCx};

/// V503: SCAFFOLD, not implemented yet. following GWLB-endpoint next hops from subnet to subnet returns to where it started (A's subnet routes to B, B's subnet routes back to A)
pub struct GwlbRoutingLoop;

impl Rule for GwlbRoutingLoop {
    fn code(&self) -> Code {
        Code::GwlbRoutingLoop
    }

    fn check(&self, _cx: &mut RuleCx<'_>) {}
}

use vpce_diagnostics::Code;

use crate::{Rule, RuleCx};

/// V502: SCAFFOLD, not implemented yet. the route table of a GWLB endpoint's own subnet sends traffic to that same endpoint: the endpoint and the application servers it protects must sit in different subnets
pub struct GwlbSameSubnet;

impl Rule for GwlbSameSubnet {
    fn code(&self) -> Code {
        Code::GwlbSameSubnet
    }

    fn check(&self, _cx: &mut RuleCx<'_>) {}
}

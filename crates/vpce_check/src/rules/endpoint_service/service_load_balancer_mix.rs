use vpce_diagnostics::Code;

use crate::{Rule, RuleCx};

/// V600: SCAFFOLD, not implemented yet. network and gateway load balancers in one service, or none
pub struct ServiceLoadBalancerMix;

impl Rule for ServiceLoadBalancerMix {
    fn code(&self) -> Code {
        Code::ServiceLoadBalancerMix
    }

    fn check(&self, _cx: &mut RuleCx<'_>) {}
}

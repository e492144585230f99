use vpce_diagnostics::Code;

use crate::{Rule, RuleCx};

/// V802: SCAFFOLD, not implemented yet. a subnet with no internet path and no gateway endpoint route for a service that another table of the same VPC routes privately
pub struct GatewayRouteGap;

impl Rule for GatewayRouteGap {
    fn code(&self) -> Code {
        Code::GatewayRouteGap
    }

    fn check(&self, _cx: &mut RuleCx<'_>) {}
}

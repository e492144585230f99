use vpce_diagnostics::Code;

use crate::{Rule, RuleCx};

/// V303: SCAFFOLD, not implemented yet. two gateway endpoints for one service on one route table
pub struct GatewayDuplicateRoute;

impl Rule for GatewayDuplicateRoute {
    fn code(&self) -> Code {
        Code::GatewayDuplicateRoute
    }

    fn check(&self, _cx: &mut RuleCx<'_>) {}
}

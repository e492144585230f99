use vpce_diagnostics::Code;

use crate::{Rule, RuleCx};

/// V301: SCAFFOLD, not implemented yet. `subnets`, `security_groups`, `private_dns` or `ip_address_type` on a gateway endpoint
pub struct GatewayInvalidAttribute;

impl Rule for GatewayInvalidAttribute {
    fn code(&self) -> Code {
        Code::GatewayInvalidAttribute
    }

    fn check(&self, _cx: &mut RuleCx<'_>) {}
}

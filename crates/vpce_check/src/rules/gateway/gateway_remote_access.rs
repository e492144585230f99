use vpce_diagnostics::Code;

use crate::{Rule, RuleCx};

/// V305: SCAFFOLD, not implemented yet. an `expect` or `remote_network` needs the service from on-premises, a peered VPC, a transit gateway or another region through a gateway endpoint: gateway endpoints only serve their own VPC (help: add an interface endpoint)
pub struct GatewayRemoteAccess;

impl Rule for GatewayRemoteAccess {
    fn code(&self) -> Code {
        Code::GatewayRemoteAccess
    }

    fn check(&self, _cx: &mut RuleCx<'_>) {}
}

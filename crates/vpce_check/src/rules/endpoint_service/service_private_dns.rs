use vpce_diagnostics::Code;

use crate::{Rule, RuleCx};

/// V605: SCAFFOLD, not implemented yet. `private_dns_name` on a gateway load balancer service, or not a valid domain
pub struct ServicePrivateDns;

impl Rule for ServicePrivateDns {
    fn code(&self) -> Code {
        Code::ServicePrivateDns
    }

    fn check(&self, _cx: &mut RuleCx<'_>) {}
}

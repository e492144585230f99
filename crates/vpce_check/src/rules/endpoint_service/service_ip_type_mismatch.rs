use vpce_diagnostics::Code;

use crate::{Rule, RuleCx};

/// V604: SCAFFOLD, not implemented yet. endpoint `ip_address_type` not among the service's `supported_ip_address_types`
pub struct ServiceIpTypeMismatch;

impl Rule for ServiceIpTypeMismatch {
    fn code(&self) -> Code {
        Code::ServiceIpTypeMismatch
    }

    fn check(&self, _cx: &mut RuleCx<'_>) {}
}

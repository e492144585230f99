use vpce_diagnostics::Code;

use crate::{Rule, RuleCx};

/// V803: SCAFFOLD, not implemented yet. more than 50 interface + GWLB endpoints in one VPC, or more than 20 gateway endpoints in one region (AWS default quotas; adjustable)
pub struct EndpointQuota;

impl Rule for EndpointQuota {
    fn code(&self) -> Code {
        Code::EndpointQuota
    }

    fn check(&self, _cx: &mut RuleCx<'_>) {}
}

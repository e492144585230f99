use vpce_diagnostics::Code;

use crate::{Rule, RuleCx};

/// V603: SCAFFOLD, not implemented yet. a consumer endpoint subnet is in an AZ the service's load balancers do not serve
pub struct ServiceAzMismatch;

impl Rule for ServiceAzMismatch {
    fn code(&self) -> Code {
        Code::ServiceAzMismatch
    }

    fn check(&self, _cx: &mut RuleCx<'_>) {}
}

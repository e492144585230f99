use vpce_diagnostics::Code;

use crate::{Rule, RuleCx};

/// V401: SCAFFOLD, not implemented yet. two subnets of one endpoint in one AZ (AWS allows one per AZ)
pub struct InterfaceMultipleSubnetsPerAz;

impl Rule for InterfaceMultipleSubnetsPerAz {
    fn code(&self) -> Code {
        Code::InterfaceMultipleSubnetsPerAz
    }

    fn check(&self, _cx: &mut RuleCx<'_>) {}
}

use vpce_diagnostics::Code;

use crate::{Rule, RuleCx};

/// V800: SCAFFOLD, not implemented yet. interface endpoint in one AZ: an AZ outage cuts it off (one subnet per AZ is the HA shape)
pub struct SingleAzEndpoint;

impl Rule for SingleAzEndpoint {
    fn code(&self) -> Code {
        Code::SingleAzEndpoint
    }

    fn check(&self, _cx: &mut RuleCx<'_>) {}
}

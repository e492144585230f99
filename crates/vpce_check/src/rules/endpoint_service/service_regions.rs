use vpce_diagnostics::Code;

use crate::{Rule, RuleCx};

/// V606: SCAFFOLD, not implemented yet. `supported_regions` has an unknown region
pub struct ServiceRegions;

impl Rule for ServiceRegions {
    fn code(&self) -> Code {
        Code::ServiceRegions
    }

    fn check(&self, _cx: &mut RuleCx<'_>) {}
}

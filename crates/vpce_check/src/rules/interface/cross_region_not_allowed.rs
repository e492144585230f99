use vpce_diagnostics::Code;

use crate::{Rule, RuleCx};

/// V408: SCAFFOLD, not implemented yet. `service_region` for an AWS service without cross-region support, or a service whose `supported_regions` lacks this region
pub struct CrossRegionNotAllowed;

impl Rule for CrossRegionNotAllowed {
    fn code(&self) -> Code {
        Code::CrossRegionNotAllowed
    }

    fn check(&self, _cx: &mut RuleCx<'_>) {}
}

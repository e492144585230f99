use vpce_diagnostics::Code;

use crate::{Rule, RuleCx};

/// V406: SCAFFOLD, not implemented yet. no security group of the endpoint admits TCP 443 (or the service port) from anywhere in the VPC
pub struct EndpointUnreachableSg;

impl Rule for EndpointUnreachableSg {
    fn code(&self) -> Code {
        Code::EndpointUnreachableSg
    }

    fn check(&self, _cx: &mut RuleCx<'_>) {}
}

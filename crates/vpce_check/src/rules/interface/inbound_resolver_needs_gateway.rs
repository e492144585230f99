use vpce_diagnostics::Code;

use crate::{Rule, RuleCx};

/// V407: SCAFFOLD, not implemented yet. `private_dns_only_for_inbound_resolver` without a gateway endpoint for S3 in the VPC
pub struct InboundResolverNeedsGateway;

impl Rule for InboundResolverNeedsGateway {
    fn code(&self) -> Code {
        Code::InboundResolverNeedsGateway
    }

    fn check(&self, _cx: &mut RuleCx<'_>) {}
}

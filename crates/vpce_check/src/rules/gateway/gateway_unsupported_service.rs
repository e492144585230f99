use vpce_diagnostics::Code;

use crate::{Rule, RuleCx};

/// V300: SCAFFOLD, not implemented yet. gateway endpoint for a service other than S3, DynamoDB or S3 Express (`s3express`) (help: use `type = "interface"`)
pub struct GatewayUnsupportedService;

impl Rule for GatewayUnsupportedService {
    fn code(&self) -> Code {
        Code::GatewayUnsupportedService
    }

    fn check(&self, _cx: &mut RuleCx<'_>) {}
}

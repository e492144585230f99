use vpce_diagnostics::{Code, Diagnostic};
use vpce_model::service::awaits_acceptance;

use super::address;
use crate::{Rule, RuleCx};

/// V607: an endpoint of this configuration that connects to an endpoint service of
/// this configuration with `acceptance_required = true`.
///
/// With acceptance required, AWS leaves each new connection in the state
/// `pendingAcceptance` until the service's owner accepts it (the
/// `AcceptVpcEndpointConnections` API, `aws ec2 accept-vpc-endpoint-connections`);
/// CloudFormation has no resource that accepts a connection, so after deployment the
/// endpoint carries nothing. Reachability and the plan say `pending` for every path
/// through it. Reported once per endpoint, on its `service`.
///
/// AWS: "If you specified that acceptance is required for connection requests, you must
/// manually accept or reject endpoint connection requests to your endpoint service"
/// (<https://docs.aws.amazon.com/vpc/latest/privatelink/accept-reject-endpoint-requests.html>),
/// <https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_AcceptVpcEndpointConnections.html>.
pub struct AcceptancePending;

impl Rule for AcceptancePending {
    fn code(&self) -> Code {
        Code::AcceptancePending
    }

    fn check(&self, cx: &mut RuleCx<'_>) {
        let model = cx.model;
        for (id, endpoint) in model.endpoints.iter() {
            let Some(service_id) = awaits_acceptance(model, endpoint) else {
                continue;
            };
            if crate::rules::interface::private_dns_waits_for_acceptance(model, endpoint) {
                continue;
            }
            let service = address(model, service_id);
            let endpoint_address = address(model, id);
            let span = endpoint.common.value_span_or_header("service");
            let mut diagnostic = Diagnostic::new(
                Code::AcceptancePending,
                format!(
                    "`{endpoint_address}` stays `pendingAcceptance` until the owner of `{service}` accepts it"
                ),
            )
            .with_label(span, "a service that requires acceptance");
            if let Some(span) = model.endpoint_services[service_id]
                .common
                .value_span("acceptance_required")
            {
                diagnostic =
                    diagnostic.with_label(span, "no CloudFormation resource accepts connections");
            }
            cx.report(diagnostic.with_help(format!(
                "after deployment, accept it with `aws ec2 accept-vpc-endpoint-connections`, or set `acceptance_required = false` on `{service}`"
            )));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::lines_of;

    fn consumer(acceptance: &str) -> String {
        format!(
            r#"region = "eu-west-1"

vpc "main" {{ cidr = "10.0.0.0/16" }}

subnet "a" {{
  vpc  = vpc.main
  az   = "euw1-az1"
  cidr = "10.0.1.0/24"
}}

load_balancer "nlb" {{
  type    = "network"
  subnets = [subnet.a]
}}

endpoint_service "api" {{
  load_balancers = [load_balancer.nlb]
{acceptance}}}

endpoint "api" {{
  type    = "interface"
  service = endpoint_service.api
  vpc     = vpc.main
  subnets = [subnet.a]
}}
"#
        )
    }

    #[test]
    fn acceptance_required_leaves_the_endpoint_pending() {
        // Acceptance is required by default.
        assert_eq!(lines_of("V607", &consumer("")), [22]);
        assert_eq!(
            lines_of("V607", &consumer("  acceptance_required = true\n")),
            [23]
        );
    }

    #[test]
    fn automatic_acceptance_passes() {
        assert_eq!(
            lines_of("V607", &consumer("  acceptance_required = false\n")),
            Vec::<usize>::new()
        );
    }
}

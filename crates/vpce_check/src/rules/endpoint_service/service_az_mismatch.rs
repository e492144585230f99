use vpce_diagnostics::{Code, Diagnostic};
use vpce_model::{EndpointType, Subnet};

use super::{address, join, shown, ServiceAzs};
use crate::{net::subnet_az, service::Service, Rule, RuleCx};

/// V603: an endpoint of this configuration to one of its endpoint services, with a
/// subnet in an Availability Zone where none of the service's load balancers run.
///
/// An endpoint service is available only in the zones where its load balancers are
/// enabled, and an endpoint can place ENIs only in those zones (AWS-FACTS §3.6 S3 and
/// §3.2 C2). AWS refuses the endpoint: "The VPC endpoint service
/// com.amazonaws.us-east-1.email-smtp does not support the availability zone of the
/// subnet: subnet-…" [InvalidParameter]. A created load balancer runs in the zones of
/// its subnets; an existing one in its `azs`.
///
/// Checked for interface and gateway load balancer endpoints whose `service` is an
/// `endpoint_service` of this configuration. Zones are compared by AZ id; zones written
/// by name are compared with names only (a name maps to a different zone in each
/// account), and nothing is said when a zone is unknown, when ids and names are mixed,
/// or when the endpoint is in another region (cross-region endpoints are placed in the
/// zones AWS supports for remote access, not the load balancers' zones).
///
/// AWS: <https://docs.aws.amazon.com/vpc/latest/privatelink/create-endpoint-service.html>.
pub struct ServiceAzMismatch;

impl Rule for ServiceAzMismatch {
    fn code(&self) -> Code {
        Code::ServiceAzMismatch
    }

    fn check(&self, cx: &mut RuleCx<'_>) {
        let model = cx.model;
        // Each service's zones, computed once.
        let zones: Vec<Option<ServiceAzs>> = model
            .endpoint_services
            .iter()
            .map(|(_, s)| ServiceAzs::of(model, s))
            .collect();
        for (endpoint_id, endpoint) in model.endpoints.iter() {
            let Some(kind) = endpoint.endpoint_type.as_ref() else {
                continue;
            };
            if kind.value == EndpointType::Gateway {
                continue;
            }
            let Some(&Service::Local(service_id)) = endpoint.resolved_service.as_ref() else {
                continue;
            };
            let Some(served) = &zones[service_id.index()] else {
                continue;
            };
            let service = &model.endpoint_services[service_id];
            let served_list: Vec<String> = served.azs.iter().map(shown).collect();
            for item in &endpoint.subnets {
                let Some(az) = subnet_az(model, item.value) else {
                    continue;
                };
                if served.serves(az) != Some(false) {
                    continue;
                }
                let subnet: &Subnet = &model.subnets[item.value];
                let written = subnet
                    .az
                    .as_ref()
                    .map_or(az.id.as_str(), |a| a.value.as_str());
                let mut diagnostic = Diagnostic::new(
                    Code::ServiceAzMismatch,
                    format!(
                        "`{}` is in `{written}`, where `{}`'s load balancers do not run",
                        address(model, item.value),
                        address(model, service_id)
                    ),
                )
                .with_label(item.span, format!("in `{written}`"));
                if let Some(span) = service.common.value_span("load_balancers") {
                    diagnostic = diagnostic
                        .with_label(span, format!("these run in {}", join(&served_list, "and")));
                }
                cx.report(diagnostic.with_help(format!(
                    "give `{}` a subnet in {} instead, or enable the load balancers in `{written}`",
                    address(model, endpoint_id),
                    join(&served_list, "or")
                )));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::lines_of;

    const PROVIDER: &str = r#"region = "eu-west-1"

vpc "provider" { cidr = "10.30.0.0/16" }

subnet "lb_a" {
  vpc  = vpc.provider
  az   = "euw1-az1"
  cidr = "10.30.1.0/24"
}

subnet "lb_b" {
  vpc  = vpc.provider
  az   = "euw1-az2"
  cidr = "10.30.2.0/24"
}

load_balancer "api" {
  type    = "network"
  subnets = [subnet.lb_a, subnet.lb_b]
}

endpoint_service "api" {
  load_balancers = [load_balancer.api]
}

vpc "consumer" { cidr = "10.40.0.0/16" }
"#;

    fn consumer(azs: &[&str]) -> String {
        let mut hcl = PROVIDER.to_string();
        let mut names = Vec::new();
        for (i, az) in azs.iter().enumerate() {
            hcl.push_str(&format!(
                "\nsubnet \"e{i}\" {{\n  vpc  = vpc.consumer\n  az   = \"{az}\"\n  cidr = \"10.40.{i}.0/24\"\n}}\n"
            ));
            names.push(format!("subnet.e{i}"));
        }
        hcl.push_str(&format!(
            "\nendpoint \"api\" {{\n  type    = \"interface\"\n  service = endpoint_service.api\n  vpc     = vpc.consumer\n  subnets = [\n{}  ]\n}}\n",
            names.iter().map(|n| format!("    {n},\n")).collect::<String>()
        ));
        hcl
    }

    #[test]
    fn subnet_outside_the_service_zones() {
        // Endpoint subnets e0..e2 in az1, az2, az3; the items are on lines 51-53.
        let hcl = consumer(&["euw1-az1", "euw1-az2", "euw1-az3"]);
        assert_eq!(lines_of("V603", &hcl), [53]);
    }

    #[test]
    fn zones_of_the_service_pass() {
        assert_eq!(
            lines_of("V603", &consumer(&["euw1-az1", "euw1-az2"])),
            Vec::<usize>::new()
        );
    }

    #[test]
    fn existing_load_balancer_zones_and_gwlb_endpoints() {
        let hcl = r#"region = "eu-west-1"

load_balancer "fw" {
  type = "gateway"
  arn  = "arn:aws:elasticloadbalancing:eu-west-1:111122223333:loadbalancer/gwy/fw/0123456789abcdef"
  azs  = ["euw1-az1"]
}

endpoint_service "fw" {
  load_balancers = [load_balancer.fw]
}

vpc "workload" { cidr = "10.10.0.0/16" }

subnet "inspect_a" {
  vpc  = vpc.workload
  az   = "euw1-az1"
  cidr = "10.10.0.0/28"
}

subnet "inspect_b" {
  vpc  = vpc.workload
  az   = "euw1-az2"
  cidr = "10.10.0.16/28"
}

endpoint "a" {
  type    = "gateway_load_balancer"
  service = endpoint_service.fw
  vpc     = vpc.workload
  subnets = [subnet.inspect_a]
}

endpoint "b" {
  type    = "gateway_load_balancer"
  service = endpoint_service.fw
  vpc     = vpc.workload
  subnets = [subnet.inspect_b]
}
"#;
        assert_eq!(lines_of("V603", hcl), [38]);
    }

    #[test]
    fn unknown_or_incomparable_zones_are_skipped() {
        // An unknown zone is V204's; a name cannot be compared with ids.
        let unknown = consumer(&["euw1-az1", "euw1-az9"]);
        assert_eq!(lines_of("V603", &unknown), Vec::<usize>::new());
        let named = consumer(&["euw1-az1", "eu-west-1c"]);
        assert_eq!(lines_of("V603", &named), Vec::<usize>::new());
    }
}

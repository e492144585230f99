use std::collections::BTreeMap;

use vpce_diagnostics::{Code, Diagnostic};
use vpce_model::{Endpoint, EndpointType, Id, Vpc};

use crate::{Rule, RuleCx};

/// V803: more endpoints than AWS's default quotas allow.
///
/// AWS's PrivateLink quotas (AWS-FACTS §3.7,
/// <https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-limits-endpoints.html>):
/// 50 interface and Gateway Load Balancer endpoints per VPC together (quota code
/// L-29B6F2EB), and 20 gateway endpoints per Region (L-1B52E74A). Both are defaults
/// that AWS raises on request in Service Quotas; without a raise, creating one more
/// endpoint fails and rolls the stack back.
///
/// Counted: every endpoint of the configuration whose type and VPC are known, existing
/// ones included (they use the quota too); a gateway endpoint counts in its VPC's
/// region. Reported once per VPC, at the 51st interface or Gateway Load Balancer
/// endpoint, and once per region, at the 21st gateway endpoint (in source order).
/// vpce cannot see a quota already raised, nor endpoints created outside this
/// configuration.
pub struct EndpointQuota;

/// AWS's default for interface + Gateway Load Balancer endpoints per VPC.
const PER_VPC: usize = 50;
/// AWS's default for gateway endpoints per region.
const PER_REGION: usize = 20;

impl Rule for EndpointQuota {
    fn code(&self) -> Code {
        Code::EndpointQuota
    }

    fn check(&self, cx: &mut RuleCx<'_>) {
        let model = cx.model;
        let mut per_vpc: BTreeMap<Id<Vpc>, Vec<&Endpoint>> = BTreeMap::new();
        let mut per_region: BTreeMap<&str, Vec<&Endpoint>> = BTreeMap::new();
        for (_, endpoint) in model.endpoints.iter() {
            let (Some(kind), Some(vpc)) = (&endpoint.endpoint_type, endpoint.vpc) else {
                continue;
            };
            match kind.value {
                EndpointType::Gateway => {
                    if let Some(region) = model.vpc_region(vpc) {
                        per_region.entry(&region.value).or_default().push(endpoint);
                    }
                }
                EndpointType::Interface | EndpointType::GatewayLoadBalancer => {
                    per_vpc.entry(vpc).or_default().push(endpoint);
                }
            }
        }
        for (vpc, endpoints) in per_vpc {
            let Some(over) = endpoints.get(PER_VPC) else {
                continue;
            };
            let vpc = model.address(vpc.obj_ref());
            cx.report(
                Diagnostic::new(
                    Code::EndpointQuota,
                    format!(
                        "`{vpc}` has {} interface and Gateway Load Balancer endpoints, more than AWS's default quota of {PER_VPC} per VPC",
                        endpoints.len()
                    ),
                )
                .with_label(
                    over.common.header,
                    format!(
                        "the {}st interface or Gateway Load Balancer endpoint of `{vpc}`",
                        PER_VPC + 1
                    ),
                )
                .with_help(
                    "request a higher quota L-29B6F2EB (interface and Gateway Load Balancer endpoints per VPC) in Service Quotas before deploying, or share endpoints from a central VPC",
                )
                .with_note(
                    "the quota is adjustable; vpce cannot see a raised quota, nor endpoints created outside this configuration",
                ),
            );
        }
        for (region, endpoints) in per_region {
            let Some(over) = endpoints.get(PER_REGION) else {
                continue;
            };
            cx.report(
                Diagnostic::new(
                    Code::EndpointQuota,
                    format!(
                        "`{region}` has {} gateway endpoints, more than AWS's default quota of {PER_REGION} per region",
                        endpoints.len()
                    ),
                )
                .with_label(
                    over.common.header,
                    format!("the {}st gateway endpoint in `{region}`", PER_REGION + 1),
                )
                .with_help(
                    "request a higher quota L-1B52E74A (gateway VPC endpoints per Region) in Service Quotas before deploying, or remove gateway endpoints that no route table needs",
                )
                .with_note(
                    "the quota is per account and region, and adjustable; vpce cannot see a raised quota, nor gateway endpoints created outside this configuration",
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use std::fmt::Write;

    use crate::testing::codes_and_lines;

    const SERVICES: &[&str] = &["s3", "dynamodb", "s3express"];

    /// `interface` interface endpoints in one VPC, and `gateway` gateway endpoints
    /// spread over VPCs of three (one per service).
    fn config(interface: usize, gateway: usize) -> String {
        let mut out = String::from(
            r#"region = "eu-west-1"

vpc "main" {
  cidr = "10.0.0.0/16"
}

security_group "endpoints" {
  vpc = vpc.main
  ingress {
    protocol = "tcp"
    ports    = 443
    cidrs    = ["10.0.0.0/16"]
  }
}

subnet "a" {
  vpc  = vpc.main
  az   = "euw1-az1"
  cidr = "10.0.1.0/24"
}

subnet "b" {
  vpc  = vpc.main
  az   = "euw1-az2"
  cidr = "10.0.2.0/24"
}
"#,
        );
        for i in 0..interface {
            let _ = write!(
                out,
                "\nendpoint \"e{i}\" {{\n  type            = \"interface\"\n  service         = \"sqs\"\n  vpc             = vpc.main\n  subnets         = [subnet.a, subnet.b]\n  security_groups = [security_group.endpoints]\n  private_dns     = false\n}}\n"
            );
        }
        for i in 0..gateway {
            let v = i / SERVICES.len();
            if i % SERVICES.len() == 0 {
                let _ = write!(
                    out,
                    "\nvpc \"g{v}\" {{\n  cidr = \"10.{}.0.0/16\"\n}}\n\nroute_table \"g{v}\" {{\n  vpc = vpc.g{v}\n}}\n",
                    v + 1
                );
            }
            let _ = write!(
                out,
                "\nendpoint \"g{i}\" {{\n  type         = \"gateway\"\n  service      = \"{}\"\n  vpc          = vpc.g{v}\n  route_tables = [route_table.g{v}]\n}}\n",
                SERVICES[i % SERVICES.len()]
            );
        }
        out
    }

    fn line_of(hcl: &str, needle: &str) -> usize {
        hcl.lines().position(|l| l == needle).unwrap() + 1
    }

    #[test]
    fn fifty_interface_endpoints_pass() {
        assert_eq!(codes_and_lines(&config(50, 20)), []);
    }

    #[test]
    fn the_fifty_first_interface_endpoint() {
        let hcl = config(53, 0);
        let line = line_of(&hcl, "endpoint \"e50\" {");
        assert_eq!(codes_and_lines(&hcl), [("V803", line)]);
    }

    #[test]
    fn the_twenty_first_gateway_endpoint() {
        let hcl = config(0, 22);
        let line = line_of(&hcl, "endpoint \"g20\" {");
        assert_eq!(codes_and_lines(&hcl), [("V803", line)]);
    }

    #[test]
    fn regions_count_apart() {
        let mut hcl = config(0, 20);
        hcl.push_str(
            r#"
vpc "east" {
  cidr   = "10.99.0.0/16"
  region = "us-east-1"
}

route_table "east" {
  vpc = vpc.east
}

endpoint "east_s3" {
  type         = "gateway"
  service      = "s3"
  vpc          = vpc.east
  route_tables = [route_table.east]
}
"#,
        );
        assert_eq!(codes_and_lines(&hcl), []);
    }
}

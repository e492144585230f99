use vpce_diagnostics::{Code, Diagnostic};
use vpce_model::{Endpoint, Id, Model, Vpc};

use super::{endpoint_azs, interface_endpoint, service_azs, ServiceAzs, Zones};
use crate::{Rule, RuleCx};

/// V800: an interface endpoint whose network interfaces are all in one Availability
/// Zone.
///
/// An interface endpoint has one network interface per subnet, and each subnet is in
/// one AZ; AWS takes at most one subnet per AZ (AWS-FACTS §3.2 C1). With one subnet,
/// an outage of that zone takes the endpoint away from the whole VPC
/// (<https://docs.aws.amazon.com/vpc/latest/privatelink/create-interface-endpoint.html>).
/// Prowler's `vpc_endpoint_multi_az_enabled` checks the same on deployed endpoints
/// ("Amazon VPC Interface Endpoints should have ENIs in more than one subnet").
///
/// Reported once per endpoint, at its `subnets`. Not reported for gateway endpoints
/// (no network interfaces), Gateway Load Balancer endpoints (one subnet by design, one
/// endpoint per AZ), endpoints without subnets (V400), two subnets in one AZ (V401
/// says which to move), subnets of unknown AZ or of another VPC, nor when the subnet is
/// in a zone its endpoint service of this configuration does not serve (V603). When
/// the VPC itself has subnets in that one zone only, or the service runs in that zone
/// only, the help says so.
pub struct SingleAzEndpoint;

impl Rule for SingleAzEndpoint {
    fn code(&self) -> Code {
        Code::SingleAzEndpoint
    }

    fn check(&self, cx: &mut RuleCx<'_>) {
        let model = cx.model;
        let zones = Zones::new(model);
        for (_, endpoint) in model.endpoints.iter() {
            // Subnets dropped by the front end (already reported) would look like a gap.
            if endpoint.common.is_rejected("subnets") {
                continue;
            }
            let Some(vpc) = interface_endpoint(endpoint) else {
                continue;
            };
            let Some(azs) = endpoint_azs(model, endpoint, vpc) else {
                continue;
            };
            let Some((az, [subnet])) = azs
                .iter()
                .next()
                .filter(|_| azs.len() == 1)
                .map(|(az, s)| (az.as_str(), s.as_slice()))
            else {
                continue;
            };
            let service = service_azs(model, endpoint);
            if service.as_ref().is_some_and(|(_, s)| !s.contains(az)) {
                continue; // V603: the endpoint cannot be created there at all
            }
            let subnet_address = &model.subnets[subnet.value].common.address;
            let help = help(model, &zones, endpoint, vpc, az, service);
            cx.report(
                Diagnostic::new(
                    Code::SingleAzEndpoint,
                    format!(
                        "endpoint `{}` is in one availability zone only, `{az}`",
                        endpoint.common.shown()
                    ),
                )
                .with_label(
                    endpoint.common.value_span_or_header("subnets"),
                    format!("only `{subnet_address}`, in `{az}`"),
                )
                .with_help(help)
                .with_note(format!(
                    "an outage of `{az}` cuts every client in `{}` off from the endpoint",
                    model.address(vpc.obj_ref())
                )),
            );
        }
    }
}

/// How to add a second zone: a subnet of the VPC in another zone the service runs in,
/// else the zone to create one in (and why).
fn help(
    model: &Model,
    zones: &Zones,
    endpoint: &Endpoint,
    vpc: Id<Vpc>,
    az: &str,
    service: Option<ServiceAzs>,
) -> String {
    let served = |other: &str| service.as_ref().is_none_or(|(_, s)| s.contains(other));
    if let Some((id, azs)) = &service {
        if azs.len() == 1 {
            return format!(
                "`{}` runs in `{az}` only: enable its load balancers in a second AZ, then add a subnet of that AZ to `{}`",
                model.address(id.obj_ref()),
                endpoint.common.address
            );
        }
    }
    let client_azs = zones.client_azs(vpc);
    let candidate = client_azs
        .iter()
        .filter(|(other, _)| *other != az && served(other))
        .find_map(|(other, subnets)| Some((other.as_str(), zones.example(subnets)?)));
    if let Some((other, subnet)) = candidate {
        return format!(
            "add a subnet of another AZ to `subnets`, e.g. `{}` in `{other}`",
            model.subnets[subnet].common.reference()
        );
    }
    // No subnet of the VPC to suggest: name a zone to create one in.
    let vpc_azs = zones.vpc_azs(vpc);
    let example = vpc_azs
        .iter()
        .copied()
        .find(|other| *other != az && served(other))
        .map(str::to_string)
        .or_else(|| {
            let region = vpce_data::region(&model.vpc_region(vpc)?.value)?;
            let other = region.azs.iter().find(|a| a.id != az && served(&a.id))?;
            Some(other.id.clone())
        })
        .map_or(String::new(), |other| format!(" (e.g. `{other}`)"));
    let vpc_name = model.address(vpc.obj_ref());
    if vpc_azs.len() <= 1 {
        format!("`{vpc_name}` has subnets in `{az}` only: add a subnet in a second AZ{example} and list it in the endpoint's `subnets`")
    } else {
        format!("add a subnet in a second AZ{example} to `{vpc_name}` and list it in the endpoint's `subnets`")
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::{codes, codes_and_lines, diagnostics_of};

    const VPC: &str = r#"region = "eu-west-1"

vpc "main" {
  cidr          = "10.0.0.0/16"
  dns_hostnames = true
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
"#;

    fn endpoint(subnets: &str) -> String {
        format!(
            r#"
endpoint "ssm" {{
  type            = "interface"
  service         = "ssm"
  vpc             = vpc.main
  subnets         = [{subnets}]
  security_groups = [security_group.endpoints]
}}
"#
        )
    }

    fn help_of(hcl: &str) -> String {
        let outcome = diagnostics_of(hcl);
        let codes: Vec<_> = outcome.iter().map(|d| d.code.as_str()).collect();
        assert_eq!(codes, ["V800"], "{:?}", outcome);
        outcome[0].help.clone().unwrap()
    }

    const SUBNET_B: &str = r#"
subnet "b" {
  vpc  = vpc.main
  az   = "euw1-az2"
  cidr = "10.0.2.0/24"
}
"#;

    #[test]
    fn one_subnet_in_a_vpc_of_two_azs() {
        let hcl = format!("{VPC}{SUBNET_B}{}", endpoint("subnet.a"));
        // The endpoint header is line 29; `subnets` on line 33.
        assert_eq!(codes_and_lines(&hcl), [("V800", 33)]);
        assert_eq!(
            help_of(&hcl),
            "add a subnet of another AZ to `subnets`, e.g. `subnet.b` in `euw1-az2`"
        );
    }

    #[test]
    fn a_vpc_in_one_az_still_warns() {
        let hcl = format!("{VPC}{}", endpoint("subnet.a"));
        assert_eq!(
            help_of(&hcl),
            "`vpc.main` has subnets in `euw1-az1` only: add a subnet in a second AZ (e.g. `euw1-az2`) and list it in the endpoint's `subnets`"
        );
    }

    #[test]
    fn two_azs_pass() {
        let hcl = format!("{VPC}{SUBNET_B}{}", endpoint("subnet.a, subnet.b"));
        assert_eq!(codes_and_lines(&hcl), []);
    }

    #[test]
    fn two_subnets_in_one_az_are_left_to_v401() {
        let hcl = format!(
            r#"{VPC}
subnet "a2" {{
  vpc  = vpc.main
  az   = "euw1-az1"
  cidr = "10.0.2.0/24"
}}
{}"#,
            endpoint("subnet.a, subnet.a2")
        );
        let codes = codes(&hcl);
        assert!(!codes.contains(&"V800"), "{codes:?}");
    }

    #[test]
    fn gateway_load_balancer_endpoints_are_single_az_by_design() {
        let hcl = format!(
            r#"{VPC}{SUBNET_B}
load_balancer "fw" {{
  type    = "gateway"
  subnets = [subnet.b]
}}

endpoint_service "fw" {{
  load_balancers      = [load_balancer.fw]
  acceptance_required = false
  allowed_principals  = ["arn:aws:iam::111122223333:root"]
}}

endpoint "fw" {{
  type    = "gateway_load_balancer"
  service = endpoint_service.fw
  vpc     = vpc.main
  subnets = [subnet.a]
}}
"#
        );
        let codes = codes(&hcl);
        assert!(!codes.contains(&"V800"), "{codes:?}");
    }

    #[test]
    fn a_service_in_one_az_says_so() {
        let hcl = format!(
            r#"{VPC}{SUBNET_B}
load_balancer "api" {{
  type    = "network"
  subnets = [subnet.a]
}}

endpoint_service "api" {{
  load_balancers      = [load_balancer.api]
  acceptance_required = false
  allowed_principals  = ["arn:aws:iam::111122223333:root"]
}}

endpoint "api" {{
  type            = "interface"
  service         = endpoint_service.api
  vpc             = vpc.main
  subnets         = [subnet.a]
  security_groups = [security_group.endpoints]
}}
"#
        );
        assert_eq!(
            help_of(&hcl),
            "`endpoint_service.api` runs in `euw1-az1` only: enable its load balancers in a second AZ, then add a subnet of that AZ to `endpoint.api`"
        );
    }

    #[test]
    fn suggests_a_subnet_other_endpoints_use() {
        let hcl = format!(
            r#"{VPC}{SUBNET_B}
subnet "endpoints_b" {{
  vpc  = vpc.main
  az   = "euw1-az2"
  cidr = "10.0.12.0/24"
}}

endpoint "logs" {{
  type            = "interface"
  service         = "logs"
  vpc             = vpc.main
  subnets         = [subnet.a, subnet.endpoints_b]
  security_groups = [security_group.endpoints]
}}
{}"#,
            endpoint("subnet.a")
        );
        assert_eq!(
            help_of(&hcl),
            "add a subnet of another AZ to `subnets`, e.g. `subnet.endpoints_b` in `euw1-az2`"
        );
    }
}

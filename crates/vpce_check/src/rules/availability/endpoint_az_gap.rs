use vpce_diagnostics::{Code, Diagnostic};
use vpce_model::Id;

use super::{and_list, endpoint_azs, interface_endpoint, prose_list, service_azs, Zones};
use crate::{Rule, RuleCx};

/// V801: an interface endpoint with no network interface in an Availability Zone where
/// its VPC has subnets.
///
/// Clients in such a zone reach the endpoint through a network interface in another
/// zone: every request crosses zones (billed as inter-AZ data transfer) and depends on
/// a zone other than the client's own. The usual shape is one subnet in each zone
/// where clients run (an interface endpoint takes at most one subnet per AZ, AWS-FACTS
/// §3.2 C1; <https://docs.aws.amazon.com/vpc/latest/privatelink/create-interface-endpoint.html>).
///
/// The zones compared are those of the VPC's subnets where clients can run: every
/// subnet of the VPC except forwarding subnets (those holding a Gateway Load Balancer
/// endpoint or a NAT gateway, see the module docs). For an endpoint service of this
/// configuration, zones its load balancers do not serve are left out: the endpoint
/// cannot have an interface there (AWS-FACTS §3.2 C2). Reported once per endpoint, at
/// its `subnets`, with one example subnet per missing zone (preferably one that other
/// interface endpoints already use). Endpoints in a single zone are V800's; endpoints
/// with a subnet of unknown AZ, of another VPC, or in a zone their service does not
/// serve (V603) are skipped.
pub struct EndpointAzGap;

impl Rule for EndpointAzGap {
    fn code(&self) -> Code {
        Code::EndpointAzGap
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
            if azs.len() < 2 {
                continue; // V800 (or V401)
            }
            let service = service_azs(model, endpoint).map(|(_, s)| s);
            if let Some(served) = &service {
                if azs.keys().any(|az| !served.contains(az)) {
                    continue; // V603
                }
            }
            let missing: Vec<(&str, Id<_>)> = zones
                .client_azs(vpc)
                .iter()
                .filter(|(az, _)| !azs.contains_key(*az))
                .filter(|(az, _)| service.as_ref().is_none_or(|s| s.contains(*az)))
                .filter_map(|(az, subnets)| Some((az.as_str(), zones.example(subnets)?)))
                .collect();
            if missing.is_empty() {
                continue;
            }
            let present: Vec<&str> = azs.keys().map(String::as_str).collect();
            let absent: Vec<&str> = missing.iter().map(|(az, _)| *az).collect();
            let vpc_name = model.address(vpc.obj_ref());
            let mut diagnostic = Diagnostic::new(
                Code::EndpointAzGap,
                format!(
                    "endpoint `{}` has no network interface in {}, where `{vpc_name}` has subnets",
                    endpoint.common.shown(),
                    and_list(&absent)
                ),
            )
            .with_label(
                endpoint.common.value_span_or_header("subnets"),
                format!("in {} only", and_list(&present)),
            );
            let mut examples = Vec::new();
            for (az, subnet) in &missing {
                let subnet = &model.subnets[*subnet].common;
                diagnostic = diagnostic.with_label(subnet.header, format!("in `{az}`"));
                examples.push(format!("`{}` (`{az}`)", subnet.address));
            }
            let examples = prose_list(&examples);
            cx.report(
                diagnostic
                    .with_help(format!("add a subnet per missing AZ to `subnets`, e.g. {examples}"))
                    .with_note(format!(
                        "clients in {} reach the endpoint through another AZ: their traffic is billed as inter-AZ data transfer and depends on that AZ staying up",
                        and_list(&absent)
                    )),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::{codes, codes_and_lines, diagnostics_of};

    fn vpc(extra: &str, subnets: &str) -> String {
        vpc_with_c_in("euw1-az3", extra, subnets)
    }

    fn vpc_with_c_in(c_az: &str, extra: &str, subnets: &str) -> String {
        format!(
            r#"region = "eu-west-1"

vpc "main" {{
  cidr          = "10.0.0.0/16"
  dns_hostnames = true
}}

security_group "endpoints" {{
  vpc = vpc.main
  ingress {{
    protocol = "tcp"
    ports    = 443
    cidrs    = ["10.0.0.0/16"]
  }}
}}

subnet "a" {{
  vpc  = vpc.main
  az   = "euw1-az1"
  cidr = "10.0.1.0/24"
}}

subnet "b" {{
  vpc  = vpc.main
  az   = "euw1-az2"
  cidr = "10.0.2.0/24"
}}

subnet "c" {{
  vpc  = vpc.main
  az   = "{c_az}"
  cidr = "10.0.3.0/24"
}}

endpoint "ssm" {{
  type            = "interface"
  service         = "ssm"
  vpc             = vpc.main
  subnets         = [{subnets}]
  security_groups = [security_group.endpoints]
}}
{extra}"#
        )
    }

    fn only(hcl: &str) -> vpce_diagnostics::Diagnostic {
        let outcome = diagnostics_of(hcl);
        let codes: Vec<_> = outcome.iter().map(|d| d.code.as_str()).collect();
        assert_eq!(codes, ["V801"], "{:?}", outcome);
        outcome[0].clone()
    }

    #[test]
    fn a_zone_without_an_interface() {
        let hcl = vpc("", "subnet.a, subnet.b");
        assert_eq!(codes_and_lines(&hcl), [("V801", 39)]);
        let d = only(&hcl);
        assert_eq!(
            d.message,
            "endpoint `ssm` has no network interface in `euw1-az3`, where `vpc.main` has subnets"
        );
        assert_eq!(
            d.help.as_deref(),
            Some("add a subnet per missing AZ to `subnets`, e.g. `subnet.c` (`euw1-az3`)")
        );
    }

    #[test]
    fn every_zone_passes() {
        assert_eq!(
            codes_and_lines(&vpc("", "subnet.a, subnet.b, subnet.c")),
            []
        );
    }

    #[test]
    fn one_zone_is_left_to_v800() {
        let codes = codes(&vpc("", "subnet.a"));
        assert_eq!(codes, ["V800"]);
    }

    #[test]
    fn forwarding_subnets_do_not_count() {
        let extra = r#"
subnet "public_d" {
  vpc  = vpc.main
  az   = "euw1-az3"
  cidr = "10.0.4.0/24"
}

nat_gateway "d" {
  subnet = subnet.public_d
}
"#;
        // `c` is in euw1-az3 too: the gap is reported with `c` as the example, not the
        // NAT gateway's subnet.
        let d = only(&vpc(extra, "subnet.a, subnet.b"));
        assert!(d.help.unwrap().ends_with("`subnet.c` (`euw1-az3`)"));
        // With `c` elsewhere, only the NAT gateway's subnet is in euw1-az3: no gap.
        let hcl = vpc_with_c_in("euw1-az1", extra, "subnet.a, subnet.b");
        assert_eq!(codes_and_lines(&hcl), []);
    }

    #[test]
    fn zones_the_service_does_not_serve_are_not_gaps() {
        let extra = r#"
load_balancer "api" {
  type    = "network"
  subnets = [subnet.a, subnet.b]
}

endpoint_service "api" {
  load_balancers      = [load_balancer.api]
  acceptance_required = false
  allowed_principals  = ["arn:aws:iam::111122223333:root"]
}

endpoint "api" {
  type            = "interface"
  service         = endpoint_service.api
  vpc             = vpc.main
  subnets         = [subnet.a, subnet.b]
  security_groups = [security_group.endpoints]
}
"#;
        assert_eq!(
            codes_and_lines(&vpc(extra, "subnet.a, subnet.b, subnet.c")),
            []
        );
    }
}

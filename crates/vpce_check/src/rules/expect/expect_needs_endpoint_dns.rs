use vpce_diagnostics::{Code, Diagnostic};
use vpce_model::Kind;
use vpce_reach::Finding;

use super::judged;
use crate::{Rule, RuleCx};

/// V903: an `expect` for a private path that an interface endpoint provides only
/// through its own DNS name, because the endpoint's private DNS is off: clients using
/// the service's usual name go another way (or time out).
pub struct ExpectNeedsEndpointDns;

impl Rule for ExpectNeedsEndpointDns {
    fn code(&self) -> Code {
        Code::ExpectNeedsEndpointDns
    }

    fn check(&self, cx: &mut RuleCx<'_>) {
        let model = cx.model;
        for (expect, judgement) in judged(cx, Finding::EndpointDnsOnly) {
            let Some(endpoint) = judgement.path.endpoint_dns_only else {
                continue;
            };
            let (from, to) = (&judgement.from, &judgement.to);
            let endpoint_address = model.address(endpoint.obj_ref());
            let to_span = expect.to.as_ref().map_or(expect.common.header, |t| t.span);
            let endpoint_common = &model.endpoints[endpoint].common;
            cx.report(
                Diagnostic::new(
                    Code::ExpectNeedsEndpointDns,
                    format!(
                        "`{from}` reaches `{to}` privately only through `{endpoint_address}`'s own DNS name"
                    ),
                )
                .with_label(to_span, "clients using the service's usual name do not use the endpoint")
                .with_label(endpoint_common.value_span_or_header("private_dns"), "private DNS is off")
                .with_help(help(expect.from.as_ref().map(|f| f.value.kind), &endpoint_address)),
            );
        }
    }
}

/// What to do: from inside the VPC, private DNS makes the usual name resolve to the
/// endpoint. A network outside the VPC does not use the VPC's resolver, so there
/// private DNS helps only once its DNS forwards the name to a Route 53 Resolver inbound
/// endpoint in the VPC (https://repost.aws/knowledge-center/vpc-interface-configure-dns).
fn help(source: Option<Kind>, endpoint: &str) -> String {
    match source {
        Some(Kind::RemoteNetwork) => format!(
            "point the network's clients at `{endpoint}`'s DNS name, or set `private_dns = true` and forward the service's name from that network to a Route 53 Resolver inbound endpoint in the VPC"
        ),
        _ => format!("set `private_dns = true` on `{endpoint}`, or point clients at its DNS name"),
    }
}

#[cfg(test)]
mod tests {
    /// An office over a VPN, with the route back, and an SSM endpoint without private DNS.
    const OFFICE: &str = r#"region = "eu-west-1"

vpc "main" {
  cidr          = "10.0.0.0/16"
  dns_hostnames = true
}

remote_network "office" {
  vpc     = vpc.main
  via     = "vpn"
  cidrs   = ["192.168.0.0/16"]
  gateway = "vgw-0123456789abcdef0"
}

route_table "private" {
  vpc = vpc.main
  route {
    destination = "192.168.0.0/16"
    target      = remote_network.office
  }
}

subnet "a" {
  vpc         = vpc.main
  az          = "euw1-az1"
  cidr        = "10.0.1.0/24"
  route_table = route_table.private
}

security_group "endpoints" {
  vpc = vpc.main
  ingress {
    protocol = "tcp"
    ports    = 443
    cidrs    = ["10.0.0.0/16", "192.168.0.0/16"]
  }
}

endpoint "ssm" {
  type            = "interface"
  service         = "ssm"
  vpc             = vpc.main
  subnets         = [subnet.a]
  security_groups = [security_group.endpoints]
  private_dns     = false
}

expect "office_ssm" {
  from = remote_network.office
  to   = "ssm"
}

expect "subnet_ssm" {
  from = subnet.a
  to   = "ssm"
}
"#;

    fn v903_help() -> Vec<String> {
        vpce_driver::check_text(OFFICE)
            .diagnostics
            .iter()
            .filter(|d| d.code.as_str() == "V903")
            .map(|d| d.help.clone().unwrap_or_default())
            .collect()
    }

    #[test]
    fn from_a_remote_network_private_dns_alone_is_not_the_advice() {
        let help = v903_help();
        assert_eq!(help.len(), 2, "{help:#?}");
        assert!(
            help[0].contains("Route 53 Resolver inbound endpoint")
                && help[0].contains("point the network's clients at `endpoint.ssm`'s DNS name"),
            "{}",
            help[0]
        );
        assert_eq!(
            help[1],
            "set `private_dns = true` on `endpoint.ssm`, or point clients at its DNS name"
        );
    }

    #[test]
    fn without_the_route_back_the_endpoint_name_does_not_serve_the_office() {
        let text = OFFICE.replace(
            "  route {\n    destination = \"192.168.0.0/16\"\n    target      = remote_network.office\n  }\n",
            "",
        );
        let codes = crate::testing::codes(&text);
        // The office's expectation fails for the real reason (V900); the subnet's still
        // reaches the endpoint only through its own name (V903).
        assert_eq!(
            codes
                .iter()
                .filter(|c| c.starts_with("V90"))
                .collect::<Vec<_>>(),
            [&"V900", &"V903"],
            "{codes:?}"
        );
    }
}

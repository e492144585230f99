use std::net::Ipv4Addr;

use vpce_diagnostics::{Code, Diagnostic};

use crate::{
    net::{first_usable, reserved_use},
    Rule, RuleCx,
};

/// V210: an explicit IP address that AWS reserves in its subnet, or that is not in
/// its subnet at all.
///
/// "AWS reserves both the first four and the last IPv4 address in each subnet's CIDR
/// block" (the network address, the VPC router, the DNS server, one for future use, and
/// the broadcast address; AWS-FACTS §3.2 C1b,
/// <https://docs.aws.amazon.com/vpc/latest/userguide/subnet-sizing.html>). The only
/// explicit IP in the language is `nat_gateway.private_ip` (CloudFormation's
/// `NatGateway.PrivateIpAddress`), which must be a usable address of the NAT gateway's
/// subnet.
pub struct ReservedAddress;

impl Rule for ReservedAddress {
    fn code(&self) -> Code {
        Code::ReservedAddress
    }

    fn check(&self, cx: &mut RuleCx<'_>) {
        let model = cx.model;
        for (_, nat) in model.nat_gateways.iter() {
            let (Some(subnet_id), Some(ip_text)) = (nat.subnet, &nat.private_ip) else {
                continue;
            };
            let subnet = &model.subnets[subnet_id];
            let Some(cidr) = &subnet.cidr else { continue };
            let (Some(net), Ok(ip)) = (cidr.v4(), ip_text.parse::<Ipv4Addr>()) else {
                continue;
            };
            let usable = first_usable(net);
            let (name, subnet_name) = (&nat.common.shown(), &subnet.common.shown());
            let diagnostic = if !net.contains(&ip) {
                Diagnostic::new(
                    Code::ReservedAddress,
                    format!(
                        "NAT gateway `{name}` has private IP `{ip}`, which is not in its subnet `{subnet_name}` ({net})"
                    ),
                )
                .with_label(ip_text.span, format!("outside {net}"))
                .with_help(format!(
                    "use a usable address of {net}, such as `{usable}` (the first one)"
                ))
            } else if let Some(reserved) = reserved_use(net, ip) {
                Diagnostic::new(
                    Code::ReservedAddress,
                    format!(
                        "NAT gateway `{name}` has private IP `{ip}`, which AWS reserves in subnet `{subnet_name}` ({net})"
                    ),
                )
                .with_label(ip_text.span, reserved)
                .with_help(format!(
                    "use an address AWS does not reserve, such as `{usable}` (the first usable one of {net})"
                ))
            } else {
                continue;
            };
            cx.report(
                diagnostic.with_label(cidr.span, format!("the CIDR of subnet `{subnet_name}`")),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::net::{first_usable, reserved_use};
    use crate::testing::{codes_and_lines, diagnostics_of};

    fn config(ip: &str) -> String {
        format!(
            r#"region = "eu-west-1"

vpc "main" {{ cidr = "10.0.0.0/16" }}

subnet "public" {{
  vpc  = vpc.main
  az   = "euw1-az1"
  cidr = "10.0.1.0/24"
}}

nat_gateway "a" {{
  subnet     = subnet.public
  private_ip = "{ip}"
}}
"#
        )
    }

    #[test]
    fn reserved_addresses_fail() {
        for ip in ["10.0.1.0", "10.0.1.1", "10.0.1.2", "10.0.1.3", "10.0.1.255"] {
            assert_eq!(codes_and_lines(&config(ip)), [("V210", 13)], "{ip}");
        }
    }

    #[test]
    fn address_outside_the_subnet_fails() {
        let outcome = diagnostics_of(&config("10.0.2.10"));
        assert_eq!(outcome.len(), 1);
        let d = &outcome[0];
        assert_eq!(d.code.as_str(), "V210");
        assert!(d.message.contains("not in its subnet"), "{}", d.message);
        assert_eq!(
            d.help.as_deref(),
            Some("use a usable address of 10.0.1.0/24, such as `10.0.1.4` (the first one)")
        );
    }

    #[test]
    fn usable_addresses_pass() {
        for ip in ["10.0.1.4", "10.0.1.254"] {
            assert_eq!(codes_and_lines(&config(ip)), [], "{ip}");
        }
    }

    #[test]
    fn helpers() {
        let net = "10.0.0.16/28".parse().unwrap();
        assert_eq!(first_usable(net).to_string(), "10.0.0.20");
        assert!(reserved_use(net, "10.0.0.31".parse().unwrap()).is_some());
        assert!(reserved_use(net, "10.0.0.30".parse().unwrap()).is_none());
        assert!(reserved_use(net, "10.0.0.15".parse().unwrap()).is_none());
    }
}

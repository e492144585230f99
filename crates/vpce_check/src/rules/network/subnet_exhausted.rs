use std::collections::{BTreeMap, BTreeSet};

use vpce_diagnostics::{Code, Diagnostic};
use vpce_model::{EndpointType, Id, Subnet};

use crate::{net::usable_addresses, Rule, RuleCx};

/// V211: a subnet with fewer usable IPv4 addresses than the network interfaces vpce
/// places in it.
///
/// "AWS reserves both the first four and the last IPv4 address in each subnet's CIDR
/// block" (AWS-FACTS §3.2 C1b,
/// <https://docs.aws.amazon.com/vpc/latest/userguide/subnet-sizing.html>), so a /28 has
/// 11 usable addresses. Each of these takes one: an interface endpoint in each of its
/// subnets, a Gateway Load Balancer endpoint in its subnet, a NAT gateway, and a created
/// load balancer in each of its subnets. AWS fails the creation that finds no free
/// address ("InsufficientFreeAddressesInSubnet"). Subnets outside /16../28 are left to
/// V201, and addresses used by other resources are not known here.
pub struct SubnetExhausted;

#[derive(Default)]
struct Usage {
    endpoints: u64,
    nat_gateways: u64,
    load_balancers: u64,
}

impl Usage {
    fn total(&self) -> u64 {
        self.endpoints + self.nat_gateways + self.load_balancers
    }

    /// "12 endpoint network interfaces, 1 NAT gateway".
    fn describe(&self) -> String {
        let parts = [
            (self.endpoints, "endpoint network interface"),
            (self.nat_gateways, "NAT gateway"),
            (self.load_balancers, "load balancer node"),
        ];
        let parts: Vec<String> = parts
            .iter()
            .filter(|(n, _)| *n > 0)
            .map(|(n, what)| format!("{n} {what}{}", if *n == 1 { "" } else { "s" }))
            .collect();
        parts.join(", ")
    }
}

impl Rule for SubnetExhausted {
    fn code(&self) -> Code {
        Code::SubnetExhausted
    }

    fn check(&self, cx: &mut RuleCx<'_>) {
        let model = cx.model;
        let mut usage: BTreeMap<Id<Subnet>, Usage> = BTreeMap::new();
        for (_, endpoint) in model.endpoints.iter() {
            let Some(kind) = &endpoint.endpoint_type else {
                continue;
            };
            if kind.value == EndpointType::Gateway {
                continue;
            }
            // One interface per (endpoint, subnet), even if a subnet is listed twice.
            let subnets: BTreeSet<Id<Subnet>> = endpoint.subnets.iter().map(|s| s.value).collect();
            for subnet in subnets {
                usage.entry(subnet).or_default().endpoints += 1;
            }
        }
        for subnet in model.nat_gateways.iter().filter_map(|(_, n)| n.subnet) {
            usage.entry(subnet).or_default().nat_gateways += 1;
        }
        for (_, lb) in model.load_balancers.iter() {
            if lb.common.is_existing() {
                continue;
            }
            let subnets: BTreeSet<Id<Subnet>> = lb.subnets.iter().map(|s| s.value).collect();
            for subnet in subnets {
                usage.entry(subnet).or_default().load_balancers += 1;
            }
        }
        for (id, used) in usage {
            let subnet = &model.subnets[id];
            let Some(cidr) = &subnet.cidr else { continue };
            let Some(net) = cidr.v4() else {
                continue;
            };
            if !(16..=28).contains(&net.prefix_len()) {
                continue;
            }
            let (usable, needed) = (usable_addresses(net), used.total());
            if needed <= usable {
                continue;
            }
            // The smallest block that fits, if a subnet can be that large.
            let fits = (16..=28u8)
                .rev()
                .find(|&len| (1u64 << (32 - len)) - 5 >= needed);
            let help = match fits {
                Some(len) => format!(
                    "use a /{len} or larger ({} usable addresses), or spread these network interfaces over more subnets",
                    (1u64 << (32 - len)) - 5
                ),
                None => "spread these network interfaces over more subnets".to_string(),
            };
            cx.report(
                Diagnostic::new(
                    Code::SubnetExhausted,
                    format!(
                        "subnet `{}` has {usable} usable addresses but needs {needed} ({})",
                        subnet.common.shown(),
                        used.describe()
                    ),
                )
                .with_label(
                    cidr.span,
                    format!(
                        "a /{}: {} addresses, 5 reserved by AWS",
                        net.prefix_len(),
                        1u64 << (32 - net.prefix_len())
                    ),
                )
                .with_help(help),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::{codes_and_lines, diagnostics_of};

    const SERVICES: [&str; 12] = [
        "sqs",
        "sns",
        "ssm",
        "ssmmessages",
        "ec2messages",
        "kms",
        "secretsmanager",
        "logs",
        "monitoring",
        "ecr.api",
        "ecr.dkr",
        "sts",
    ];

    /// `endpoints` interface endpoints, each in a /28 (`tiny`) and a /24 (`big`).
    fn config(endpoints: usize) -> String {
        let mut hcl = r#"region = "eu-west-1"

vpc "main" {
  cidr          = "10.0.0.0/16"
  dns_hostnames = true
}

subnet "tiny" {
  vpc  = vpc.main
  az   = "euw1-az1"
  cidr = "10.0.0.0/28"
}

subnet "big" {
  vpc  = vpc.main
  az   = "euw1-az2"
  cidr = "10.0.1.0/24"
}

security_group "endpoints" {
  vpc = vpc.main
  ingress {
    protocol = "tcp"
    ports    = 443
    cidrs    = [vpc.main.cidr]
  }
}
"#
        .to_string();
        for service in &SERVICES[..endpoints] {
            let name = service.replace('.', "_");
            hcl.push_str(&format!(
                r#"
endpoint "{name}" {{
  type            = "interface"
  service         = "{service}"
  vpc             = vpc.main
  subnets         = [subnet.tiny, subnet.big]
  security_groups = [security_group.endpoints]
}}
"#
            ));
        }
        hcl
    }

    #[test]
    fn more_interfaces_than_addresses() {
        let outcome = vpce_driver::check_text(&config(12));
        let codes: Vec<_> = outcome
            .diagnostics
            .iter()
            .map(|d| d.code.as_str())
            .collect();
        assert_eq!(codes, ["V211"]);
        let d = &outcome.diagnostics[0];
        assert_eq!(
            d.message,
            "subnet `tiny` has 11 usable addresses but needs 12 (12 endpoint network interfaces)"
        );
        assert_eq!(outcome.sources.line_col(d.labels[0].span).line, 11);
    }

    #[test]
    fn exactly_full_passes() {
        assert_eq!(codes_and_lines(&config(11)), []);
    }

    #[test]
    fn nat_gateways_and_load_balancers_count() {
        let mut hcl = r#"region = "eu-west-1"

vpc "main" { cidr = "10.0.0.0/16" }

subnet "tiny" {
  vpc  = vpc.main
  az   = "euw1-az1"
  cidr = "10.0.0.0/28"
}
"#
        .to_string();
        for n in 0..10 {
            hcl.push_str(&format!(
                "\nnat_gateway \"n{n}\" {{ subnet = subnet.tiny }}\n"
            ));
        }
        for n in 0..2 {
            hcl.push_str(&format!(
                "\nload_balancer \"lb{n}\" {{\n  type    = \"network\"\n  subnets = [subnet.tiny]\n}}\n"
            ));
        }
        let outcome = diagnostics_of(&hcl);
        let found: Vec<_> = outcome
            .iter()
            .map(|d| (d.code.as_str(), d.message.as_str()))
            .collect();
        assert_eq!(
            found,
            [(
                "V211",
                "subnet `tiny` has 11 usable addresses but needs 12 (10 NAT gateways, 2 load balancer nodes)"
            )]
        );
    }
}

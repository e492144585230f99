//! Generated configurations of any size, for benchmarks and scale tests: each VPC has
//! three subnets in three AZs, one route table, one security group and ten interface
//! endpoints (the shape of README's performance figures).

use std::fmt::Write;

const SERVICES: &[&str] = &[
    "ssm",
    "ssmmessages",
    "ec2messages",
    "logs",
    "kms",
    "sts",
    "secretsmanager",
    "sqs",
    "sns",
    "monitoring",
];

/// A configuration with `endpoints` interface endpoints, ten per VPC.
pub fn configuration(endpoints: usize) -> String {
    part(endpoints, 0)
}

/// One file of a larger configuration: `endpoints` endpoints in VPCs numbered from
/// `first_vpc`. The part with `first_vpc == 0` carries the top-level `region`.
pub fn part(endpoints: usize, first_vpc: usize) -> String {
    let vpcs = endpoints.div_ceil(SERVICES.len()).max(1);
    let mut out = String::with_capacity(endpoints * 330);
    if first_vpc == 0 {
        out.push_str("region = \"eu-west-1\"\n\n");
    }
    for i in 0..vpcs {
        let v = first_vpc + i;
        // 10.x.y.0/16 blocks, distinct for up to 65,536 VPCs.
        let (a, b) = (10 + v / 256, v % 256);
        let _ = write!(
            out,
            "vpc \"v{v}\" {{\n  cidr          = \"{a}.{b}.0.0/16\"\n  dns_hostnames = true\n}}\n\n\
             route_table \"v{v}\" {{ vpc = vpc.v{v} }}\n\n\
             security_group \"v{v}\" {{\n  vpc = vpc.v{v}\n  ingress {{\n    protocol = \"tcp\"\n    ports    = 443\n    cidrs    = [vpc.v{v}.cidr]\n  }}\n}}\n\n"
        );
        for az in 1..=3 {
            let _ = write!(
                out,
                "subnet \"v{v}_{az}\" {{\n  vpc         = vpc.v{v}\n  az          = \"euw1-az{az}\"\n  cidr        = \"{a}.{b}.{az}.0/24\"\n  route_table = route_table.v{v}\n}}\n\n"
            );
        }
        let count = SERVICES.len().min(endpoints - i * SERVICES.len());
        for service in &SERVICES[..count] {
            let name = service.replace('.', "_");
            let _ = write!(
                out,
                "endpoint \"v{v}_{name}\" {{\n  type            = \"interface\"\n  service         = \"{service}\"\n  vpc             = vpc.v{v}\n  subnets         = [subnet.v{v}_1, subnet.v{v}_2, subnet.v{v}_3]\n  security_groups = [security_group.v{v}]\n}}\n\n"
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn generated_configurations_check_clean() {
        let outcome = crate::check_text(&super::configuration(25));
        assert!(outcome.diagnostics.is_empty(), "{:?}", outcome.diagnostics);
        assert_eq!(outcome.model.endpoints.len(), 25);
        assert_eq!(outcome.model.vpcs.len(), 3);
    }
}

use vpce_diagnostics::{Code, Diagnostic};

use crate::{Rule, RuleCx};

/// V207: a subnet with an `ipv6_cidr` in a VPC without an IPv6 block (`ipv6 = true`).
///
/// A subnet's IPv6 block is carved out of its VPC's IPv6 block, so the VPC must have
/// one first; AWS rejects `AWS::EC2::Subnet.Ipv6CidrBlock` otherwise. AWS:
/// <https://docs.aws.amazon.com/vpc/latest/userguide/vpc-migrate-ipv6-add.html>.
pub struct Ipv6WithoutVpcIpv6;

impl Rule for Ipv6WithoutVpcIpv6 {
    fn code(&self) -> Code {
        Code::Ipv6WithoutVpcIpv6
    }

    fn check(&self, cx: &mut RuleCx<'_>) {
        let model = cx.model;
        for (_, subnet) in model.subnets.iter() {
            let (Some(vpc_id), Some(ipv6)) = (subnet.vpc, &subnet.ipv6_cidr) else {
                continue;
            };
            let vpc = &model.vpcs[vpc_id];
            if vpc.ipv6 {
                continue;
            }
            let vpc_address = &vpc.common.address;
            let (span, label) = match vpc.common.value_span("ipv6") {
                Some(span) => (span, "IPv6 is off here"),
                None => (vpc.common.header, "no `ipv6 = true` in this VPC"),
            };
            cx.report(
                Diagnostic::new(
                    Code::Ipv6WithoutVpcIpv6,
                    format!(
                        "subnet `{}` has an IPv6 CIDR but `{vpc_address}` has no IPv6 block",
                        subnet.common.shown()
                    ),
                )
                .with_label(ipv6.span, "an IPv6 CIDR")
                .with_label(span, label)
                .with_help(format!(
                    "set `ipv6 = true` on `{vpc_address}`, or remove `ipv6_cidr` from the subnet"
                )),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::codes_and_lines;

    fn config(vpc_ipv6: &str) -> String {
        format!(
            r#"region = "eu-west-1"

vpc "main" {{
  cidr = "10.0.0.0/16"
{vpc_ipv6}}}

subnet "app_a" {{
  vpc       = vpc.main
  az        = "euw1-az1"
  cidr      = "10.0.1.0/24"
  ipv6_cidr = "auto"
}}
"#
        )
    }

    #[test]
    fn subnet_ipv6_without_vpc_ipv6() {
        assert_eq!(codes_and_lines(&config("")), [("V207", 11)]);
        assert_eq!(codes_and_lines(&config("  ipv6 = false\n")), [("V207", 12)]);
    }

    #[test]
    fn vpc_with_ipv6_passes() {
        assert_eq!(codes_and_lines(&config("  ipv6 = true\n")), []);
    }
}

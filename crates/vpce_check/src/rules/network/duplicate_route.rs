use std::collections::BTreeMap;

use ipnet::IpNet;
use vpce_diagnostics::{Code, Diagnostic};
use vpce_model::{net::Cidr, Spanned};

use crate::{Rule, RuleCx};

/// V208: two routes of one route table with the same destination.
///
/// A route is identified by its table and destination (`AWS::EC2::Route` has the
/// primary identifier `[RouteTableId, CidrBlock]`, AWS-FACTS §1.5), so AWS rejects the
/// second one with `RouteAlreadyExists`. Destinations are compared as parsed blocks, so
/// `2001:db8::/32` and `2001:0db8::/32` are one destination.
/// AWS: <https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-ec2-route.html>.
pub struct DuplicateRoute;

impl Rule for DuplicateRoute {
    fn code(&self) -> Code {
        Code::DuplicateRoute
    }

    fn check(&self, cx: &mut RuleCx<'_>) {
        let model = cx.model;
        for (_, table) in model.route_tables.iter() {
            let mut seen: BTreeMap<IpNet, &Spanned<Cidr>> = BTreeMap::new();
            for destination in table.routes.iter().filter_map(|r| r.destination.as_ref()) {
                let Some(net) = destination.net() else {
                    continue;
                };
                let Some(first) = seen.get(&net) else {
                    seen.insert(net, destination);
                    continue;
                };
                cx.report(
                    Diagnostic::new(
                        Code::DuplicateRoute,
                        format!(
                            "route table `{}` has two routes to `{net}`",
                            table.common.shown()
                        ),
                    )
                    .with_label(destination.span, "this destination again…")
                    .with_label(first.span, "…was already routed here")
                    .with_help(
                        "keep one route per destination: merge the two, or delete one of them",
                    ),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::codes_and_lines;

    fn table(second: &str) -> String {
        format!(
            r#"region = "eu-west-1"

vpc "main" {{ cidr = "10.0.0.0/16" }}

internet_gateway "main" {{ vpc = vpc.main }}

route_table "public" {{
  vpc = vpc.main
  route {{
    destination = "0.0.0.0/0"
    target      = internet_gateway.main
  }}
  route {{
    destination = "{second}"
    target      = internet_gateway.main
  }}
}}
"#
        )
    }

    #[test]
    fn same_destination_twice() {
        assert_eq!(codes_and_lines(&table("0.0.0.0/0")), [("V208", 14)]);
    }

    #[test]
    fn ipv6_destinations_compare_normalised() {
        let hcl = table("::/0").replace("0.0.0.0/0", "0:0::/0");
        assert_eq!(codes_and_lines(&hcl), [("V208", 14)]);
    }

    #[test]
    fn different_destinations_pass() {
        assert_eq!(codes_and_lines(&table("192.168.0.0/16")), []);
    }
}

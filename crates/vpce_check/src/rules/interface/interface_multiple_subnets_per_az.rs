use std::collections::BTreeMap;

use vpce_diagnostics::{Code, Diagnostic, Span};
use vpce_model::{Id, Subnet};

use super::{interface_endpoints, subnet_address};
use crate::{net::subnet_az, Rule, RuleCx};

/// V401: two subnets of one interface endpoint in one AZ, or one subnet listed twice.
///
/// An interface endpoint has at most one network interface per AZ. AWS refuses a
/// second subnet in a zone with `DuplicateSubnetsInSameZone`: "Found another VPC
/// endpoint subnet in the availability zone of subnet-XXXX. VPC endpoint subnets should
/// be in different availability zones supported by the VPC endpoint service."
/// (AWS-FACTS §3.2 C1; the CDK documents "At most one per availability zone").
///
/// Zones are compared by AZ id. A subnet given by AZ name is compared by its name with
/// other subnets given by name (one account maps one name to one zone); a name and an
/// id are never compared, since the name's zone depends on the account. Subnets of
/// another VPC (V206) and subnets whose AZ is unknown (V204) are skipped.
pub struct InterfaceMultipleSubnetsPerAz;

impl Rule for InterfaceMultipleSubnetsPerAz {
    fn code(&self) -> Code {
        Code::InterfaceMultipleSubnetsPerAz
    }

    fn check(&self, cx: &mut RuleCx<'_>) {
        let model = cx.model;
        for (_, endpoint) in interface_endpoints(model) {
            let Some(vpc) = endpoint.vpc else { continue };
            // Zone key (by name or by id, as written) -> the first subnet there.
            let mut first_in: BTreeMap<(bool, String), (Id<Subnet>, Span)> = BTreeMap::new();
            for item in &endpoint.subnets {
                let subnet = &model.subnets[item.value];
                if subnet.vpc != Some(vpc) {
                    continue;
                }
                let Some(az) = subnet_az(model, item.value) else {
                    continue;
                };
                let written = subnet
                    .az
                    .as_ref()
                    .map_or(az.id.clone(), |a| a.value.text.clone());
                let key = (
                    az.by_name,
                    if az.by_name {
                        written.clone()
                    } else {
                        az.id.clone()
                    },
                );
                let Some(&(first, first_span)) = first_in.get(&key) else {
                    first_in.insert(key, (item.value, item.span));
                    continue;
                };
                let name = &endpoint.common.shown();
                let (this, other) = (
                    subnet_address(model, item.value),
                    subnet_address(model, first),
                );
                let diagnostic = if first == item.value {
                    Diagnostic::new(
                        Code::InterfaceMultipleSubnetsPerAz,
                        format!("interface endpoint `{name}` lists `{this}` twice"),
                    )
                    .with_label(item.span, "listed again here")
                    .with_label(first_span, "first listed here")
                    .with_help(format!("remove the second `{this}`"))
                } else {
                    Diagnostic::new(
                        Code::InterfaceMultipleSubnetsPerAz,
                        format!(
                            "interface endpoint `{name}` has two subnets in `{written}`: `{other}` and `{this}`"
                        ),
                    )
                    .with_label(item.span, format!("`{this}` is in `{written}`…"))
                    .with_label(first_span, format!("…and so is `{other}`"))
                    .with_help(format!(
                        "keep one subnet per AZ: remove `{this}`, or use a subnet of another AZ"
                    ))
                };
                cx.report(diagnostic);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::{first_of, lines_of, BASE};

    const MORE: &str = r#"subnet "a2" {
  vpc         = vpc.main
  az          = "euw1-az1"
  cidr        = "10.0.3.0/24"
  route_table = route_table.private
}

"#;

    #[test]
    fn two_subnets_in_one_az() {
        let hcl = format!(
            r#"{BASE}{MORE}endpoint "ssm" {{
  type            = "interface"
  service         = "ssm"
  vpc             = vpc.main
  subnets         = [
    subnet.a,
    subnet.b,
    subnet.a2,
  ]
  security_groups = [security_group.endpoints]
}}
"#
        );
        assert_eq!(lines_of("V401", &hcl), [47]);
        let d = first_of("V401", &hcl);
        assert_eq!(
            d.message,
            "interface endpoint `ssm` has two subnets in `euw1-az1`: `subnet.a` and `subnet.a2`"
        );
        assert_eq!(d.labels.len(), 2);
    }

    #[test]
    fn one_subnet_twice() {
        let hcl = format!(
            r#"{BASE}endpoint "ssm" {{
  type            = "interface"
  service         = "ssm"
  vpc             = vpc.main
  subnets         = [subnet.a, subnet.b, subnet.a]
  security_groups = [security_group.endpoints]
}}
"#
        );
        assert_eq!(lines_of("V401", &hcl), [37]);
        assert_eq!(
            first_of("V401", &hcl).message,
            "interface endpoint `ssm` lists `subnet.a` twice"
        );
    }

    #[test]
    fn names_and_ids_are_not_compared() {
        let hcl = format!(
            r#"{BASE}subnet "by_name" {{
  vpc         = vpc.main
  az          = "eu-west-1a"
  cidr        = "10.0.3.0/24"
  route_table = route_table.private
}}

subnet "by_name_too" {{
  vpc         = vpc.main
  az          = "eu-west-1a"
  cidr        = "10.0.4.0/24"
  route_table = route_table.private
}}

endpoint "ssm" {{
  type            = "interface"
  service         = "ssm"
  vpc             = vpc.main
  subnets         = [subnet.a, subnet.b, subnet.by_name]
  security_groups = [security_group.endpoints]
}}

endpoint "kms" {{
  type            = "interface"
  service         = "kms"
  vpc             = vpc.main
  subnets         = [subnet.by_name, subnet.by_name_too]
  security_groups = [security_group.endpoints]
}}
"#
        );
        // `eu-west-1a` may or may not be `euw1-az1` in this account; two subnets named
        // `eu-west-1a` are in one zone whatever the mapping.
        assert_eq!(lines_of("V401", &hcl), [59]);
    }

    #[test]
    fn one_subnet_per_az_passes() {
        let hcl = format!(
            r#"{BASE}{MORE}endpoint "ssm" {{
  type            = "interface"
  service         = "ssm"
  vpc             = vpc.main
  subnets         = [subnet.a, subnet.b]
  security_groups = [security_group.endpoints]
}}

endpoint "kms" {{
  type            = "interface"
  service         = "kms"
  vpc             = vpc.main
  subnets         = [subnet.a2, subnet.b]
  security_groups = [security_group.endpoints]
}}
"#
        );
        assert_eq!(lines_of("V401", &hcl), Vec::<usize>::new());
    }
}

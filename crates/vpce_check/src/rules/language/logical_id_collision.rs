use rustc_hash::{FxHashMap, FxHashSet};
use vpce_diagnostics::{Code, Diagnostic};
use vpce_model::{
    resources::{resources, Resource, Role},
    ObjRef,
};

use crate::{Rule, RuleCx};

/// V111: two resources of the template with one CloudFormation logical id.
///
/// Every logical id comes from `vpce_model::resources`, the mapping the emitter and the
/// plan use, so this covers the ids vpce derives for the parts of an object too
/// (`subnet "a_route_table_association"` against the route table association of
/// `subnet "a"`, both `SubnetARouteTableAssociation`). Without it one resource would
/// overwrite the other in the template and silently not be created. Two routes of one
/// table to one destination are V208's, not this rule's.
pub struct LogicalIdCollision;

impl Rule for LogicalIdCollision {
    fn code(&self) -> Code {
        Code::LogicalIdCollision
    }

    fn check(&self, cx: &mut RuleCx<'_>) {
        let model = cx.model;
        let all = resources(model);
        // Only looked up, never iterated: output order comes from the model.
        let mut seen: FxHashMap<&str, usize> = FxHashMap::default();
        // One diagnostic per pair of objects: when two names collide, so do the ids
        // derived from them (`SubnetLbB` and `SubnetLbBRouteTableAssociation`).
        let mut reported: FxHashSet<(ObjRef, ObjRef)> = FxHashSet::default();
        for (index, resource) in all.iter().enumerate() {
            match seen.get(resource.logical_id.as_str()) {
                Some(&first) if all[first].owner != resource.owner => {
                    if reported.insert((all[first].owner, resource.owner)) {
                        cx.report(collision(model, &all[first], resource));
                    }
                }
                Some(_) => {}
                None => {
                    seen.insert(&resource.logical_id, index);
                }
            }
        }
    }
}

/// The diagnostic for `later` taking `first`'s id. It is reported at the name to change:
/// an object's own name rather than a part vpce derives, else the later of the two.
fn collision(model: &vpce_model::Model, first: &Resource, later: &Resource) -> Diagnostic {
    let (here, other) = if later.role != Role::Main && first.role == Role::Main {
        (first, later)
    } else {
        (later, first)
    };
    let id = &here.logical_id;
    let other_label = if other.role == Role::Main {
        "and so does this one".to_string()
    } else {
        format!("{} is `{id}` too", other.describe(model))
    };
    let diagnostic = Diagnostic::new(
        Code::LogicalIdCollision,
        format!(
            "{} and {} both become the CloudFormation resource `{id}`",
            here.describe(model),
            other.describe(model)
        ),
    );
    // Two instances of one `for_each` block: their keys meet, not two names.
    if here.span(model) == other.span(model) {
        return diagnostic
            .with_label(here.span(model), format!("two of its keys become `{id}`"))
            .with_help(
                "an instance is named after its block and key, the key in snake case (lower case, other characters `_`): change one of the two keys",
            );
    }
    diagnostic
        .with_label(here.span(model), format!("this name becomes `{id}`"))
        .with_label(other.span(model), other_label)
        .with_help(format!("rename `{}`", model.address(here.owner)))
}

#[cfg(test)]
mod tests {
    use crate::testing::{codes_and_lines, first_of};
    use vpce_model::resources::Role;

    const NETWORK: &str = r#"region = "eu-west-1"
vpc "main" {
  cidr = "10.0.0.0/16"
  ipv6 = true
}
route_table "pub" {
  vpc = vpc.main
  route {
    destination = "0.0.0.0/0"
    target      = internet_gateway.gw
  }
}
route_table "edge" {
  vpc  = vpc.main
  edge = internet_gateway.gw
}
subnet "a" {
  vpc         = vpc.main
  az          = "euw1-az1"
  cidr        = "10.0.1.0/24"
  route_table = route_table.pub
}
internet_gateway "gw" {
  vpc = vpc.main
}
nat_gateway "nat" {
  subnet = subnet.a
}
security_group "app" {
  vpc = vpc.main
}
security_group "db" {
  vpc = vpc.main
  ingress {
    protocol        = "tcp"
    ports           = 5432
    security_groups = [security_group.app]
  }
}
load_balancer "api" {
  type    = "network"
  subnets = [subnet.a]
  listener {
    port     = 443
    protocol = "TCP"
    targets  = ["10.0.1.10"]
  }
}
endpoint_service "api" {
  load_balancers     = [load_balancer.api]
  allowed_principals = ["arn:aws:iam::111122223333:root"]
}
"#;

    /// Which role each case collides with; the list must name every derived role, so a
    /// new kind of derived id cannot go unchecked.
    fn role_name(role: &Role) -> &'static str {
        match role {
            Role::Main => "main",
            Role::Ipv6Block => "ipv6_block",
            Role::RouteTableAssociation => "route_table_association",
            Role::EdgeAssociation => "edge_association",
            Role::Route(_) => "route",
            Role::Attachment => "attachment",
            Role::Eip => "eip",
            Role::Ingress { .. } => "ingress",
            Role::Permissions => "permissions",
            Role::Listener(_) => "listener",
            Role::TargetGroup(_) => "target_group",
        }
    }

    /// Each derived-id pattern, met by an object whose own name produces the same id.
    const CASES: &[(&str, &str, &str)] = &[
        (
            "main",
            "vpc \"main_2\" {\n  cidr = \"10.2.0.0/16\"\n}\nvpc \"main2\" {\n  cidr = \"10.3.0.0/16\"\n}\n",
            "`vpc.main2` and `vpc.main_2` both become the CloudFormation resource `VpcMain2`",
        ),
        (
            "ipv6_block",
            "vpc \"main_ipv6_block\" {\n  cidr = \"10.2.0.0/16\"\n}\n",
            "`vpc.main_ipv6_block` and the IPv6 CIDR block of `vpc.main` both become the CloudFormation resource `VpcMainIpv6Block`",
        ),
        (
            "route_table_association",
            "subnet \"a_route_table_association\" {\n  vpc  = vpc.main\n  az   = \"euw1-az2\"\n  cidr = \"10.0.2.0/24\"\n}\n",
            "`subnet.a_route_table_association` and the route table association of `subnet.a` both become the CloudFormation resource `SubnetARouteTableAssociation`",
        ),
        (
            "edge_association",
            "route_table \"edge_edge_association\" {\n  vpc = vpc.main\n}\n",
            "`route_table.edge_edge_association` and the edge association of `route_table.edge` both become the CloudFormation resource `RouteTableEdgeEdgeAssociation`",
        ),
        (
            "route",
            "route_table \"pub_route_default\" {\n  vpc = vpc.main\n}\n",
            "`route_table.pub_route_default` and the route to `0.0.0.0/0` of `route_table.pub` both become the CloudFormation resource `RouteTablePubRouteDefault`",
        ),
        (
            "attachment",
            "internet_gateway \"gw_attachment\" {\n  vpc = vpc.main\n}\n",
            "`internet_gateway.gw_attachment` and the VPC attachment of `internet_gateway.gw` both become the CloudFormation resource `InternetGatewayGwAttachment`",
        ),
        (
            "eip",
            "nat_gateway \"nat_eip\" {\n  subnet = subnet.a\n}\n",
            "`nat_gateway.nat_eip` and the Elastic IP of `nat_gateway.nat` both become the CloudFormation resource `NatGatewayNatEip`",
        ),
        (
            "ingress",
            "security_group \"db_ingress_1_from_security_group_app\" {\n  vpc = vpc.main\n}\n",
            "`security_group.db_ingress_1_from_security_group_app` and ingress rule 1 from `security_group.app` of `security_group.db` both become the CloudFormation resource `SecurityGroupDbIngress1FromSecurityGroupApp`",
        ),
        (
            "permissions",
            "load_balancer \"api2\" {\n  type    = \"network\"\n  subnets = [subnet.a]\n}\nendpoint_service \"api_permissions\" {\n  load_balancers = [load_balancer.api2]\n}\n",
            "`endpoint_service.api_permissions` and the permissions of `endpoint_service.api` both become the CloudFormation resource `EndpointServiceApiPermissions`",
        ),
        (
            "listener",
            "load_balancer \"api_listener_443_tcp\" {\n  type    = \"network\"\n  subnets = [subnet.a]\n}\n",
            "`load_balancer.api_listener_443_tcp` and the TCP 443 listener of `load_balancer.api` both become the CloudFormation resource `LoadBalancerApiListener443Tcp`",
        ),
        (
            "target_group",
            "load_balancer \"api_target_group_443_tcp\" {\n  type    = \"network\"\n  subnets = [subnet.a]\n}\n",
            "`load_balancer.api_target_group_443_tcp` and the target group of the TCP 443 listener of `load_balancer.api` both become the CloudFormation resource `LoadBalancerApiTargetGroup443Tcp`",
        ),
    ];

    #[test]
    fn the_network_alone_is_clean() {
        let codes: Vec<_> = codes_and_lines(NETWORK)
            .into_iter()
            .filter(|(c, _)| *c == "V111")
            .collect();
        assert!(codes.is_empty(), "{codes:?}");
    }

    #[test]
    fn every_derived_id_pattern_is_a_collision() {
        for (role, extra, message) in CASES {
            let hcl = format!("{NETWORK}{extra}");
            let found: Vec<String> = vpce_driver::check_text(&hcl)
                .diagnostics
                .into_iter()
                .filter(|d| d.code.as_str() == "V111")
                .map(|d| d.message)
                .collect();
            assert_eq!(found, [message.to_string()], "{role}");
        }
    }

    #[test]
    fn the_cases_cover_every_role_of_the_model() {
        let outcome = vpce_driver::check_text(NETWORK);
        let mut roles: Vec<&str> = vpce_model::resources::resources(&outcome.model)
            .iter()
            .map(|r| role_name(&r.role))
            .collect();
        roles.sort();
        roles.dedup();
        let mut covered: Vec<&str> = CASES.iter().map(|(role, _, _)| *role).collect();
        covered.sort();
        assert_eq!(roles, covered, "NETWORK makes every role, CASES hit each");
    }

    #[test]
    fn the_derived_collision_is_reported_at_the_name_to_change() {
        let hcl = format!(
            "{NETWORK}subnet \"a_route_table_association\" {{\n  vpc  = vpc.main\n  az   = \"euw1-az2\"\n  cidr = \"10.0.2.0/24\"\n}}\n"
        );
        let d = first_of("V111", &hcl);
        assert_eq!(
            d.help.as_deref(),
            Some("rename `subnet.a_route_table_association`")
        );
        assert_eq!(d.labels.len(), 2);
        assert_eq!(
            d.labels[1].text.as_deref(),
            Some("the route table association of `subnet.a` is `SubnetARouteTableAssociation` too")
        );
    }

    #[test]
    fn existing_objects_make_no_resource_and_cannot_collide() {
        let hcl = format!(
            "{NETWORK}internet_gateway \"gw_attachment\" {{\n  id = \"igw-0123456789abcdef0\"\n}}\n"
        );
        assert!(!vpce_driver::check_text(&hcl)
            .diagnostics
            .iter()
            .any(|d| d.code.as_str() == "V111"));
    }
}

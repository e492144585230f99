use vpce_diagnostics::{Code, Diagnostic, Span};
use vpce_model::{Id, Kind, Model, ObjRef, Object, Spanned, Vpc};

use crate::{Rule, RuleCx};

/// V206: a reference that crosses from one VPC into another where AWS requires both
/// sides to be in one VPC.
///
/// Checked: a subnet's `route_table`; a route table's `edge` internet gateway and its
/// route targets (an internet gateway, a NAT gateway through its subnet, an endpoint);
/// an endpoint's `subnets`, `security_groups` and `route_tables`; and the `subnets` of
/// one load balancer, which must all be in one VPC. AWS rejects each of these: "The
/// subnet and route table must be in the same VPC" (`AWS::EC2::SubnetRouteTableAssociation`,
/// AWS-FACTS §1.6 and §3.4 C12), and route targets, endpoint subnets, security groups
/// and route tables are looked up in the VPC being configured
/// (<https://docs.aws.amazon.com/vpc/latest/privatelink/create-interface-endpoint.html>).
///
/// Security group rules that name a group of another VPC are not reported: AWS allows
/// them across peered VPCs.
pub struct CrossVpcReference;

/// The VPC an object is in and where that is set: its own `vpc`, or for a NAT gateway
/// its `subnet`'s.
fn vpc_of(model: &Model, obj: ObjRef) -> Option<(Id<Vpc>, Option<Span>)> {
    let id = obj.index as usize;
    match obj.kind {
        Kind::Subnet => set_in(&model.subnets[Id::new(id)], model.subnets[Id::new(id)].vpc),
        Kind::RouteTable => {
            let table = &model.route_tables[Id::new(id)];
            set_in(table, table.vpc)
        }
        Kind::InternetGateway => {
            let igw = &model.internet_gateways[Id::new(id)];
            set_in(igw, igw.vpc)
        }
        Kind::SecurityGroup => {
            let group = &model.security_groups[Id::new(id)];
            set_in(group, group.vpc)
        }
        Kind::Endpoint => {
            let endpoint = &model.endpoints[Id::new(id)];
            set_in(endpoint, endpoint.vpc)
        }
        // A route to a remote network uses that network's way into its own VPC.
        Kind::RemoteNetwork => {
            let remote = &model.remote_networks[Id::new(id)];
            set_in(remote, remote.vpc)
        }
        Kind::NatGateway => {
            let nat = &model.nat_gateways[Id::new(id)];
            let vpc = model.subnets[nat.subnet?].vpc?;
            Some((vpc, nat.common.value_span("subnet")))
        }
        _ => None,
    }
}

fn set_in(obj: &impl Object, vpc: Option<Id<Vpc>>) -> Option<(Id<Vpc>, Option<Span>)> {
    Some((vpc?, obj.common().value_span("vpc")))
}

fn noun(kind: Kind) -> &'static str {
    match kind {
        Kind::Vpc => "a VPC",
        Kind::Subnet => "a subnet",
        Kind::RouteTable => "a route table",
        Kind::InternetGateway => "an internet gateway",
        Kind::NatGateway => "a NAT gateway",
        Kind::SecurityGroup => "a security group",
        Kind::LoadBalancer => "a load balancer",
        Kind::Endpoint => "an endpoint",
        Kind::EndpointService => "an endpoint service",
        Kind::RemoteNetwork => "a remote network",
        Kind::Expect => "an expectation",
    }
}

/// `subnet `app_a``, as a message names an object.
fn named(model: &Model, obj: ObjRef) -> String {
    let kind = noun(obj.kind).split_once(' ').map_or("", |(_, k)| k);
    format!("{kind} `{}`", model.name_of(obj))
}

/// Reports `reference` when it is in another VPC than `owner`, which is in `owner_vpc`.
fn check_ref(
    cx: &mut RuleCx<'_>,
    owner: ObjRef,
    owner_vpc: Option<Id<Vpc>>,
    reference: Spanned<ObjRef>,
) {
    let model = cx.model;
    let Some(owner_vpc) = owner_vpc else { return };
    let Some((ref_vpc, set_at)) = vpc_of(model, reference.value) else {
        return;
    };
    if ref_vpc == owner_vpc {
        return;
    }
    let (vpc, other) = (
        model.address(owner_vpc.obj_ref()),
        model.address(ref_vpc.obj_ref()),
    );
    let address = model.address(reference.value);
    let mut diagnostic = Diagnostic::new(
        Code::CrossVpcReference,
        format!(
            "{} is in `{vpc}` but `{address}` is in `{other}`",
            named(model, owner)
        ),
    )
    .with_label(reference.span, format!("in `{other}`"));
    if let Some(span) = set_at {
        let text = if reference.value.kind == Kind::NatGateway {
            format!("`{address}` is in `{other}` through this subnet")
        } else {
            format!("`{address}` is in `{other}` here")
        };
        diagnostic = diagnostic.with_label(span, text);
    }
    cx.report(diagnostic.with_help(format!("use {} of `{vpc}`", noun(reference.value.kind))));
}

fn refs<T: Object>(items: &[Spanned<Id<T>>]) -> impl Iterator<Item = Spanned<ObjRef>> + '_ {
    items
        .iter()
        .map(|item| Spanned::new(item.value.obj_ref(), item.span))
}

impl Rule for CrossVpcReference {
    fn code(&self) -> Code {
        Code::CrossVpcReference
    }

    fn check(&self, cx: &mut RuleCx<'_>) {
        let model = cx.model;
        for (id, subnet) in model.subnets.iter() {
            if let Some(table) = &subnet.route_table {
                let reference = Spanned::new(table.value.obj_ref(), table.span);
                check_ref(cx, id.obj_ref(), subnet.vpc, reference);
            }
        }
        for (id, table) in model.route_tables.iter() {
            if let Some(edge) = &table.edge {
                let reference = Spanned::new(edge.value.obj_ref(), edge.span);
                check_ref(cx, id.obj_ref(), table.vpc, reference);
            }
            for target in table.routes.iter().filter_map(|r| r.target.clone()) {
                check_ref(cx, id.obj_ref(), table.vpc, target);
            }
        }
        for (id, endpoint) in model.endpoints.iter() {
            let references = refs(&endpoint.subnets)
                .chain(refs(&endpoint.security_groups))
                .chain(refs(&endpoint.route_tables));
            for reference in references {
                check_ref(cx, id.obj_ref(), endpoint.vpc, reference);
            }
        }
        for (_, lb) in model.load_balancers.iter() {
            // The first subnet with a known VPC sets the load balancer's VPC.
            let mut first: Option<(Id<Vpc>, Span)> = None;
            for subnet in &lb.subnets {
                let Some(vpc) = model.subnets[subnet.value].vpc else {
                    continue;
                };
                let Some((first_vpc, first_span)) = first else {
                    first = Some((vpc, subnet.span));
                    continue;
                };
                if vpc == first_vpc {
                    continue;
                }
                let (vpc, other) = (
                    model.address(first_vpc.obj_ref()),
                    model.address(vpc.obj_ref()),
                );
                cx.report(
                    Diagnostic::new(
                        Code::CrossVpcReference,
                        format!(
                            "load balancer `{}` has subnets in `{vpc}` and in `{other}`",
                            lb.common.shown()
                        ),
                    )
                    .with_label(subnet.span, format!("in `{other}`"))
                    .with_label(first_span, format!("in `{vpc}`"))
                    .with_help(format!(
                        "use subnets of `{vpc}` only: a load balancer is in one VPC"
                    )),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::codes_and_lines;

    const VPCS: &str = r#"region = "eu-west-1"

vpc "main" { cidr = "10.0.0.0/16" }

vpc "other" { cidr = "10.1.0.0/16" }
"#;

    #[test]
    fn subnet_with_route_table_of_another_vpc() {
        let hcl = format!(
            r#"{VPCS}
route_table "other" {{ vpc = vpc.other }}

subnet "app_a" {{
  vpc         = vpc.main
  az          = "euw1-az1"
  cidr        = "10.0.1.0/24"
  route_table = route_table.other
}}
"#
        );
        assert_eq!(codes_and_lines(&hcl), [("V206", 13)]);
    }

    #[test]
    fn route_targets_and_edge_of_another_vpc() {
        let hcl = format!(
            r#"{VPCS}
internet_gateway "other" {{ vpc = vpc.other }}

subnet "public" {{
  vpc  = vpc.other
  az   = "euw1-az1"
  cidr = "10.1.1.0/24"
}}

nat_gateway "other" {{ subnet = subnet.public }}

route_table "main" {{
  vpc  = vpc.main
  edge = internet_gateway.other
  route {{
    destination = "0.0.0.0/0"
    target      = internet_gateway.other
  }}
  route {{
    destination = "192.168.0.0/16"
    target      = nat_gateway.other
  }}
}}
"#
        );
        // Secondary labels are on lines 7 and 15; the primary ones on the references.
        assert_eq!(
            codes_and_lines(&hcl),
            [("V206", 19), ("V206", 22), ("V206", 26)]
        );
    }

    #[test]
    fn route_to_a_remote_network_of_another_vpc() {
        let hcl = format!(
            r#"{VPCS}
remote_network "office" {{
  vpc     = vpc.other
  via     = "vpn"
  cidrs   = ["192.168.0.0/16"]
  gateway = "vgw-0123456789abcdef0"
}}

route_table "main" {{
  vpc = vpc.main
  route {{
    destination = "192.168.0.0/16"
    target      = remote_network.office
  }}
}}
"#
        );
        assert_eq!(codes_and_lines(&hcl), [("V206", 18)]);
    }

    #[test]
    fn endpoint_parts_of_another_vpc() {
        let hcl = format!(
            r#"{VPCS}
subnet "other_a" {{
  vpc  = vpc.other
  az   = "euw1-az1"
  cidr = "10.1.1.0/24"
}}

route_table "other" {{ vpc = vpc.other }}

security_group "other" {{ vpc = vpc.other }}

endpoint "s3" {{
  type         = "gateway"
  service      = "s3"
  vpc          = vpc.main
  route_tables = [route_table.other]
}}

endpoint "sqs" {{
  type            = "interface"
  service         = "sqs"
  vpc             = vpc.main
  subnets         = [subnet.other_a]
  security_groups = [security_group.other]
  private_dns     = false
}}
"#
        );
        assert_eq!(
            codes_and_lines(&hcl),
            [("V206", 21), ("V206", 28), ("V206", 29)]
        );
    }

    #[test]
    fn load_balancer_across_vpcs() {
        let hcl = format!(
            r#"{VPCS}
subnet "a" {{
  vpc  = vpc.main
  az   = "euw1-az1"
  cidr = "10.0.1.0/24"
}}

subnet "b" {{
  vpc  = vpc.other
  az   = "euw1-az2"
  cidr = "10.1.1.0/24"
}}

load_balancer "nlb" {{
  type    = "network"
  subnets = [subnet.a, subnet.b]
}}
"#
        );
        assert_eq!(codes_and_lines(&hcl), [("V206", 21)]);
    }

    #[test]
    fn same_vpc_passes() {
        let hcl = format!(
            r#"{VPCS}
internet_gateway "main" {{ vpc = vpc.main }}

route_table "public" {{
  vpc = vpc.main
  route {{
    destination = "0.0.0.0/0"
    target      = internet_gateway.main
  }}
}}

subnet "public" {{
  vpc         = vpc.main
  az          = "euw1-az1"
  cidr        = "10.0.1.0/24"
  route_table = route_table.public
}}

security_group "peer" {{ vpc = vpc.other }}

security_group "app" {{
  vpc = vpc.main
  ingress {{
    protocol        = "tcp"
    ports           = 443
    security_groups = [security_group.peer]
  }}
}}
"#
        );
        assert_eq!(codes_and_lines(&hcl), []);
    }
}

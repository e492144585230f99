//! Which CloudFormation resources each object becomes, with stable logical ids. Shared
//! by the CloudFormation backend, the plan, and V111 (logical-id collisions), so the
//! template and the plan always name resources alike.
//!
//! Existing objects (`id`/`arn`) become no resource: they are referenced as literals.

use vpce_diagnostics::Span;

use crate::{
    logical_id::logical_id, Id, Kind, ListenerProtocol, LoadBalancer, Model, ObjRef, Object,
    SecurityGroup,
};

/// What part of an object a resource is.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Role {
    /// The object's own resource (`AWS::EC2::VPC` for a `vpc`).
    Main,
    /// `AWS::EC2::VPCCidrBlock`: the Amazon-provided IPv6 block of a VPC.
    Ipv6Block,
    /// `AWS::EC2::SubnetRouteTableAssociation`.
    RouteTableAssociation,
    /// `AWS::EC2::GatewayRouteTableAssociation` (edge association).
    EdgeAssociation,
    /// `AWS::EC2::Route` number `index` of a route table.
    Route(usize),
    /// `AWS::EC2::VPCGatewayAttachment`.
    Attachment,
    /// `AWS::EC2::EIP` of a NAT gateway.
    Eip,
    /// `AWS::EC2::SecurityGroupIngress` for ingress rule `rule`'s source group `source`
    /// (rules naming other security groups are separate resources, so groups can refer
    /// to each other without a dependency cycle).
    Ingress { rule: usize, source: usize },
    /// `AWS::EC2::VPCEndpointServicePermissions`.
    Permissions,
    /// `AWS::ElasticLoadBalancingV2::Listener` number `index` of a load balancer.
    Listener(usize),
    /// `AWS::ElasticLoadBalancingV2::TargetGroup` that listener `index` forwards to.
    TargetGroup(usize),
}

/// One CloudFormation resource of the configuration.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Resource {
    pub logical_id: String,
    pub resource_type: &'static str,
    pub owner: ObjRef,
    pub role: Role,
}

impl Resource {
    /// The resource's address, as the plan and diagnostics show it: the object's, plus
    /// a suffix for the parts of an object (`subnet.a.route_table_association`,
    /// `route_table.public.route["0.0.0.0/0"]`).
    pub fn address(&self, model: &Model) -> String {
        let base = model.address(self.owner);
        let index = self.owner.index as usize;
        match &self.role {
            Role::Main => base,
            Role::Ipv6Block => format!("{base}.ipv6_block"),
            Role::RouteTableAssociation => format!("{base}.route_table_association"),
            Role::EdgeAssociation => format!("{base}.edge_association"),
            Role::Route(route) => {
                let destination = model.route_tables[Id::new(index)].routes[*route]
                    .destination
                    .as_ref()
                    .map_or("", |d| d.value.as_str());
                format!("{base}.route[\"{destination}\"]")
            }
            Role::Attachment => format!("{base}.attachment"),
            Role::Eip => format!("{base}.eip"),
            Role::Ingress { rule, source } => {
                let group = &model.security_groups[Id::new(index)];
                let from = group.ingress[*rule].security_groups[*source].value;
                format!("{base}.ingress[{rule}].{}", model.address(from.obj_ref()))
            }
            Role::Permissions => format!("{base}.permissions"),
            Role::Listener(listener) => {
                format!(
                    "{base}.listener[\"{}\"]",
                    listener_name(model, index, *listener)
                )
            }
            Role::TargetGroup(listener) => {
                format!(
                    "{base}.target_group[\"{}\"]",
                    listener_name(model, index, *listener)
                )
            }
        }
    }

    /// What the resource is, in words: `` `subnet.a` `` for an object's own resource,
    /// `` the route table association of `subnet.a` `` for a part of it.
    pub fn describe(&self, model: &Model) -> String {
        let base = model.address(self.owner);
        let index = self.owner.index as usize;
        let part = match &self.role {
            Role::Main => return format!("`{base}`"),
            Role::Ipv6Block => "the IPv6 CIDR block".to_string(),
            Role::RouteTableAssociation => "the route table association".to_string(),
            Role::EdgeAssociation => "the edge association".to_string(),
            Role::Route(route) => {
                let destination = model.route_tables[Id::new(index)].routes[*route]
                    .destination
                    .as_ref()
                    .map_or("", |d| d.value.as_str());
                format!("the route to `{destination}`")
            }
            Role::Attachment => "the VPC attachment".to_string(),
            Role::Eip => "the Elastic IP".to_string(),
            Role::Ingress { rule, source } => {
                let group = &model.security_groups[Id::new(index)];
                let from = group.ingress[*rule].security_groups[*source].value;
                format!(
                    "ingress rule {} from `{}`",
                    rule + 1,
                    model.address(from.obj_ref())
                )
            }
            Role::Permissions => "the permissions".to_string(),
            Role::Listener(listener) => {
                format!("the {} listener", listener_name(model, index, *listener))
            }
            Role::TargetGroup(listener) => format!(
                "the target group of the {} listener",
                listener_name(model, index, *listener)
            ),
        };
        format!("{part} of `{base}`")
    }

    /// Where the configuration writes what makes this resource: the object's name for
    /// its own resource and most parts, the route's destination for a route, the
    /// source group for a separate ingress rule.
    pub fn span(&self, model: &Model) -> Span {
        let index = self.owner.index as usize;
        let name = model.common(self.owner).name_span;
        match &self.role {
            Role::Route(route) => {
                let route = &model.route_tables[Id::new(index)].routes[*route];
                route.destination.as_ref().map_or(route.span, |d| d.span)
            }
            Role::Ingress { rule, source } => {
                model.security_groups[Id::new(index)].ingress[*rule].security_groups[*source].span
            }
            Role::Listener(listener) | Role::TargetGroup(listener) => {
                model.load_balancers[Id::new(index)].listeners[*listener].keyword
            }
            _ => name,
        }
    }

    fn new(owner: ObjRef, role: Role, resource_type: &'static str, logical_id: String) -> Resource {
        Resource {
            logical_id,
            resource_type,
            owner,
            role,
        }
    }
}

impl Role {
    /// What the logical id of a part an object has at most one of adds to the object's.
    fn part_suffix(&self) -> Option<&'static str> {
        match self {
            Role::Ipv6Block => Some("Ipv6Block"),
            Role::RouteTableAssociation => Some("RouteTableAssociation"),
            Role::EdgeAssociation => Some("EdgeAssociation"),
            Role::Attachment => Some("Attachment"),
            Role::Eip => Some("Eip"),
            Role::Permissions => Some("Permissions"),
            Role::Main
            | Role::Route(_)
            | Role::Ingress { .. }
            | Role::Listener(_)
            | Role::TargetGroup(_) => None,
        }
    }
}

/// The logical id of `role` of the object of `kind` named `name`, for its main
/// resource and the parts an object has at most one of (IPv6 block, associations,
/// attachment, Elastic IP, permissions): `VpcMainIpv6Block`. Routes, ingress rules,
/// listeners and target groups are named in [`resources`] (and
/// [`target_group_logical_id`]), which know which one.
pub fn part_logical_id(kind: Kind, name: &str, role: &Role) -> String {
    let main = logical_id(kind, name);
    match role.part_suffix() {
        Some(suffix) => main + suffix,
        None => main,
    }
}

/// `10.0.1.0/24` → `010000001000P24`: unique per destination, stable when other routes
/// change. `0.0.0.0/0` and `::/0` read `Default` and `DefaultIpv6`.
pub fn route_suffix(destination: &str) -> String {
    match destination.trim() {
        "0.0.0.0/0" => return "Default".into(),
        "::/0" => return "DefaultIpv6".into(),
        _ => {}
    }
    let (address, prefix) = destination.split_once('/').unwrap_or((destination, ""));
    let body = match address.parse::<std::net::IpAddr>() {
        Ok(std::net::IpAddr::V4(v4)) => v4
            .octets()
            .iter()
            .map(|o| format!("{o:03}"))
            .collect::<String>(),
        Ok(std::net::IpAddr::V6(v6)) => v6
            .segments()
            .iter()
            .map(|s| format!("{s:04x}"))
            .collect::<String>(),
        Err(_) => address
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .collect(),
    };
    format!("{body}P{prefix}")
}

/// The ingress sources that are separate resources: `(rule, source)` for every security
/// group a rule names.
pub fn separate_ingress_sources(
    group: &SecurityGroup,
) -> impl Iterator<Item = (usize, usize)> + '_ {
    group
        .ingress
        .iter()
        .enumerate()
        .flat_map(|(rule, r)| (0..r.security_groups.len()).map(move |source| (rule, source)))
}

/// `TCP 443`: a listener's protocol and port (GENEVE 6081 for a gateway load balancer's
/// listener that names neither), or its position when they are not known.
fn listener_name(model: &Model, lb: usize, listener: usize) -> String {
    let lb = &model.load_balancers[Id::new(lb)];
    match listener_key(lb, listener) {
        Some((protocol, port)) => format!("{} {port}", protocol.as_str()),
        None => format!("#{}", listener + 1),
    }
}

fn listener_key(lb: &LoadBalancer, listener: usize) -> Option<(ListenerProtocol, u16)> {
    let kind = lb.lb_type.as_ref()?.value;
    let listener = &lb.listeners[listener];
    Some((
        listener.effective_protocol(kind)?,
        listener.effective_port(kind)?,
    ))
}

/// `443Tcp`: unique per listener of a load balancer once V610 holds (one listener per
/// port and protocol), and stable when other listeners change; `1` (the position) when
/// the port or protocol is not known.
fn listener_suffix(lb: &LoadBalancer, listener: usize) -> String {
    match listener_key(lb, listener) {
        Some((protocol, port)) => {
            let protocol: String = protocol
                .as_str()
                .split('_')
                .map(|part| part[..1].to_string() + &part[1..].to_ascii_lowercase())
                .collect();
            format!("{port}{protocol}")
        }
        None => (listener + 1).to_string(),
    }
}

/// The logical id of the target group that listener `listener` of `lb` forwards to.
pub fn target_group_logical_id(lb: &LoadBalancer, listener: usize) -> String {
    format!(
        "{}TargetGroup{}",
        logical_id(Kind::LoadBalancer, &lb.common.name),
        listener_suffix(lb, listener)
    )
}

fn obj<T: Object>(id: Id<T>) -> ObjRef {
    id.obj_ref()
}

/// Every resource of the configuration, grouped by object in source order.
pub fn resources(model: &Model) -> Vec<Resource> {
    let mut out = Vec::new();
    for (id, vpc) in model.vpcs.iter().filter(|(_, v)| !v.common.is_existing()) {
        let main = logical_id(Kind::Vpc, &vpc.common.name);
        let block = part_logical_id(Kind::Vpc, &vpc.common.name, &Role::Ipv6Block);
        out.push(Resource::new(obj(id), Role::Main, "AWS::EC2::VPC", main));
        if vpc.ipv6 {
            out.push(Resource::new(
                obj(id),
                Role::Ipv6Block,
                "AWS::EC2::VPCCidrBlock",
                block,
            ));
        }
    }
    for (id, subnet) in model
        .subnets
        .iter()
        .filter(|(_, s)| !s.common.is_existing())
    {
        let main = logical_id(Kind::Subnet, &subnet.common.name);
        let association = part_logical_id(
            Kind::Subnet,
            &subnet.common.name,
            &Role::RouteTableAssociation,
        );
        out.push(Resource::new(obj(id), Role::Main, "AWS::EC2::Subnet", main));
        if subnet.route_table.is_some() {
            out.push(Resource::new(
                obj(id),
                Role::RouteTableAssociation,
                "AWS::EC2::SubnetRouteTableAssociation",
                association,
            ));
        }
    }
    for (id, table) in model.route_tables.iter() {
        let main = logical_id(Kind::RouteTable, &table.common.name);
        if !table.common.is_existing() {
            out.push(Resource::new(
                obj(id),
                Role::Main,
                "AWS::EC2::RouteTable",
                main.clone(),
            ));
            if table.edge.is_some() {
                out.push(Resource::new(
                    obj(id),
                    Role::EdgeAssociation,
                    "AWS::EC2::GatewayRouteTableAssociation",
                    part_logical_id(Kind::RouteTable, &table.common.name, &Role::EdgeAssociation),
                ));
            }
        }
        // Routes are created even in an existing table: they are what the user declares.
        for (index, route) in table.routes.iter().enumerate() {
            let Some(destination) = &route.destination else {
                continue;
            };
            out.push(Resource::new(
                obj(id),
                Role::Route(index),
                "AWS::EC2::Route",
                format!("{main}Route{}", route_suffix(destination)),
            ));
        }
    }
    for (id, igw) in model
        .internet_gateways
        .iter()
        .filter(|(_, g)| !g.common.is_existing())
    {
        let main = logical_id(Kind::InternetGateway, &igw.common.name);
        let attachment =
            part_logical_id(Kind::InternetGateway, &igw.common.name, &Role::Attachment);
        out.push(Resource::new(
            obj(id),
            Role::Main,
            "AWS::EC2::InternetGateway",
            main,
        ));
        out.push(Resource::new(
            obj(id),
            Role::Attachment,
            "AWS::EC2::VPCGatewayAttachment",
            attachment,
        ));
    }
    for (id, nat) in model
        .nat_gateways
        .iter()
        .filter(|(_, n)| !n.common.is_existing())
    {
        let main = logical_id(Kind::NatGateway, &nat.common.name);
        out.push(Resource::new(
            obj(id),
            Role::Eip,
            "AWS::EC2::EIP",
            part_logical_id(Kind::NatGateway, &nat.common.name, &Role::Eip),
        ));
        out.push(Resource::new(
            obj(id),
            Role::Main,
            "AWS::EC2::NatGateway",
            main,
        ));
    }
    for (id, group) in model.security_groups.iter() {
        let main = logical_id(Kind::SecurityGroup, &group.common.name);
        if !group.common.is_existing() {
            out.push(Resource::new(
                obj(id),
                Role::Main,
                "AWS::EC2::SecurityGroup",
                main.clone(),
            ));
        }
        for (rule, source) in separate_ingress_sources(group) {
            let from = group.ingress[rule].security_groups[source].value;
            let from = logical_id(
                Kind::SecurityGroup,
                &model.security_groups[from].common.name,
            );
            out.push(Resource::new(
                obj(id),
                Role::Ingress { rule, source },
                "AWS::EC2::SecurityGroupIngress",
                format!("{main}Ingress{}From{from}", rule + 1),
            ));
        }
    }
    for (id, lb) in model
        .load_balancers
        .iter()
        .filter(|(_, l)| !l.common.is_existing())
    {
        let main = logical_id(Kind::LoadBalancer, &lb.common.name);
        out.push(Resource::new(
            obj(id),
            Role::Main,
            "AWS::ElasticLoadBalancingV2::LoadBalancer",
            main.clone(),
        ));
        // Listeners of an existing load balancer describe what it has: no resource.
        for index in 0..lb.listeners.len() {
            out.push(Resource::new(
                obj(id),
                Role::TargetGroup(index),
                "AWS::ElasticLoadBalancingV2::TargetGroup",
                target_group_logical_id(lb, index),
            ));
            out.push(Resource::new(
                obj(id),
                Role::Listener(index),
                "AWS::ElasticLoadBalancingV2::Listener",
                format!("{main}Listener{}", listener_suffix(lb, index)),
            ));
        }
    }
    for (id, endpoint) in model
        .endpoints
        .iter()
        .filter(|(_, e)| !e.common.is_existing())
    {
        let main = logical_id(Kind::Endpoint, &endpoint.common.name);
        out.push(Resource::new(
            obj(id),
            Role::Main,
            "AWS::EC2::VPCEndpoint",
            main,
        ));
    }
    for (id, service) in model
        .endpoint_services
        .iter()
        .filter(|(_, s)| !s.common.is_existing())
    {
        let main = logical_id(Kind::EndpointService, &service.common.name);
        let permissions = part_logical_id(
            Kind::EndpointService,
            &service.common.name,
            &Role::Permissions,
        );
        out.push(Resource::new(
            obj(id),
            Role::Main,
            "AWS::EC2::VPCEndpointService",
            main,
        ));
        if !service.allowed_principals.is_empty() {
            out.push(Resource::new(
                obj(id),
                Role::Permissions,
                "AWS::EC2::VPCEndpointServicePermissions",
                permissions,
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn route_suffixes_are_unique_and_readable() {
        assert_eq!(route_suffix("0.0.0.0/0"), "Default");
        assert_eq!(route_suffix("10.0.1.0/24"), "010000001000P24");
        assert_ne!(route_suffix("1.10.0.0/16"), route_suffix("11.0.0.0/16"));
    }
}

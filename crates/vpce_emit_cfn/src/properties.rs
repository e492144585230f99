//! Each resource's CloudFormation body, and the stack outputs.
//!
//! References are written as plain `Ref`/`Fn::GetAtt` on logical ids; the splitter turns
//! those that cross stacks into `Fn::ImportValue`. Existing objects are literals.

use indexmap::IndexMap;
use serde_json::{json, Map, Value};
use vpce_model::{
    logical_id::{logical_id, object_output_logical_id, ObjectOutput},
    resources::{part_logical_id, Resource, Role},
    schema::ALL_PROTOCOLS,
    valid::RouteTarget,
    EndpointType, Id, Kind, ListenerProtocol, LoadBalancerType, Model, ObjRef, Object, Policy,
    SecurityGroup, SecurityGroupRule, ServiceRef, Spanned, ValidModel,
};

fn reference(logical: &str) -> Value {
    json!({"Ref": logical})
}

fn get_att(logical: &str, attribute: &str) -> Value {
    json!({"Fn::GetAtt": [logical, attribute]})
}

/// How a resource refers to an object: `Ref` to its resource, or the existing id.
fn object_ref(model: &Model, obj: ObjRef) -> Value {
    let common = model.common(obj);
    if let Some(existing) = &common.existing {
        return Value::String(existing.value.clone());
    }
    let logical = logical_id(obj.kind, &common.name);
    match obj.kind {
        // `Ref` of a security group is its id only in some cases; `GroupId` always is.
        Kind::SecurityGroup => get_att(&logical, "GroupId"),
        _ => reference(&logical),
    }
}

fn id_ref<T: Object>(model: &Model, id: Id<T>) -> Value {
    object_ref(model, id.obj_ref())
}

fn refs<T: Object>(model: &Model, ids: &[Spanned<Id<T>>]) -> Value {
    Value::Array(ids.iter().map(|id| id_ref(model, id.value)).collect())
}

/// `Name` plus `default_tags` plus the object's own tags (later ones win), as
/// CloudFormation's list of `{Key, Value}`.
fn tags(model: &Model, obj: ObjRef) -> Value {
    let common = model.common(obj);
    let mut tags: IndexMap<&str, &str> = IndexMap::new();
    tags.insert("Name", &common.name);
    for (key, value) in model.default_tags.iter().chain(&common.tags) {
        tags.insert(key, value);
    }
    Value::Array(
        tags.into_iter()
            .map(|(key, value)| json!({"Key": key, "Value": value}))
            .collect(),
    )
}

fn body(resource_type: &str, properties: Map<String, Value>) -> Value {
    json!({"Type": resource_type, "Properties": properties})
}

/// The body of one resource: `{"Type": ..., "Properties": ..., "DependsOn": ...}`.
pub fn resource(model: &ValidModel, resource: &Resource) -> Value {
    let obj = resource.owner;
    let index = obj.index as usize;
    let mut p = Map::new();
    let mut depends_on: Vec<String> = Vec::new();
    match (obj.kind, &resource.role) {
        (Kind::Vpc, Role::Main) => {
            let vpc = &model.vpcs[Id::new(index)];
            p.insert(
                "CidrBlock".into(),
                json!(vpc.cidr.as_ref().map(|c| c.value.clone())),
            );
            p.insert("EnableDnsSupport".into(), json!(vpc.dns_support));
            p.insert("EnableDnsHostnames".into(), json!(vpc.dns_hostnames));
            p.insert("Tags".into(), tags(model, obj));
        }
        (Kind::Vpc, Role::Ipv6Block) => {
            p.insert("VpcId".into(), object_ref(model, obj));
            p.insert("AmazonProvidedIpv6CidrBlock".into(), json!(true));
        }
        (Kind::Subnet, Role::Main) => {
            let subnet = &model.subnets[Id::new(index)];
            let vpc = model.subnet_vpc(Id::new(index));
            p.insert("VpcId".into(), id_ref(model, vpc));
            p.insert(
                "CidrBlock".into(),
                json!(subnet.cidr.as_ref().map(|c| c.value.clone())),
            );
            if let Some(az) = &subnet.az {
                // AZ ids name the same zone in every account; names do not (cfn-lint W3010).
                let key = if az.value.az.as_ref().is_some_and(|az| !az.by_name) {
                    "AvailabilityZoneId"
                } else {
                    "AvailabilityZone"
                };
                p.insert(key.into(), json!(az.value));
            }
            if let Some(ipv6) = &subnet.ipv6_cidr {
                let vpc_logical = logical_id(Kind::Vpc, &model.vpcs[vpc].common.name);
                let block = if ipv6.as_str() == "auto" {
                    // The n-th /64 of the VPC's Amazon-provided /56.
                    let position = model
                        .subnets_of(vpc)
                        .position(|(id, _)| id.index() == index)
                        .unwrap_or(0);
                    json!({"Fn::Select": [position, {"Fn::Cidr": [
                        {"Fn::Select": [0, get_att(&vpc_logical, "Ipv6CidrBlocks")]}, 256, "64"
                    ]}]})
                } else {
                    json!(ipv6.value)
                };
                p.insert("Ipv6CidrBlock".into(), block);
                let vpc_common = &model.vpcs[vpc].common;
                if !vpc_common.is_existing() {
                    depends_on.push(part_logical_id(
                        Kind::Vpc,
                        &vpc_common.name,
                        &Role::Ipv6Block,
                    ));
                }
            }
            p.insert("Tags".into(), tags(model, obj));
        }
        (Kind::Subnet, Role::RouteTableAssociation) => {
            let subnet = &model.subnets[Id::new(index)];
            let table = subnet
                .route_table
                .as_ref()
                .expect("only tables with an association");
            p.insert("SubnetId".into(), object_ref(model, obj));
            p.insert("RouteTableId".into(), id_ref(model, table.value));
        }
        (Kind::RouteTable, Role::Main) => {
            p.insert(
                "VpcId".into(),
                id_ref(model, model.route_table_vpc(Id::new(index))),
            );
            p.insert("Tags".into(), tags(model, obj));
        }
        (Kind::RouteTable, Role::EdgeAssociation) => {
            let table = &model.route_tables[Id::new(index)];
            let gateway = table.edge.as_ref().expect("only tables with an edge").value;
            p.insert("GatewayId".into(), id_ref(model, gateway));
            p.insert("RouteTableId".into(), object_ref(model, obj));
        }
        (Kind::RouteTable, Role::Route(route_index)) => {
            let route = model.route(Id::new(index), *route_index);
            p.insert("RouteTableId".into(), object_ref(model, obj));
            let key = if route.destination.contains(':') {
                "DestinationIpv6CidrBlock"
            } else {
                "DestinationCidrBlock"
            };
            p.insert(key.into(), json!(route.destination));
            match route.target {
                // The remote network's existing gateway.
                RouteTarget::RemoteGateway { kind, id } => {
                    p.insert(kind.route_property().into(), json!(id));
                }
                RouteTarget::InternetGateway(gateway) => {
                    p.insert("GatewayId".into(), id_ref(model, gateway));
                    let gateway = &model.internet_gateways[gateway].common;
                    if !gateway.is_existing() {
                        // The gateway must be attached before a route can use it.
                        depends_on.push(part_logical_id(
                            Kind::InternetGateway,
                            &gateway.name,
                            &Role::Attachment,
                        ));
                    }
                }
                RouteTarget::NatGateway(gateway) => {
                    p.insert("NatGatewayId".into(), id_ref(model, gateway));
                }
                // Only gateway load balancer endpoints are route targets (V504).
                RouteTarget::Endpoint(endpoint) => {
                    p.insert("VpcEndpointId".into(), id_ref(model, endpoint));
                }
            }
        }
        (Kind::InternetGateway, Role::Main) => {
            p.insert("Tags".into(), tags(model, obj));
        }
        (Kind::InternetGateway, Role::Attachment) => {
            p.insert("InternetGatewayId".into(), object_ref(model, obj));
            p.insert(
                "VpcId".into(),
                id_ref(model, model.internet_gateway_vpc(Id::new(index))),
            );
        }
        (Kind::NatGateway, Role::Eip) => {
            p.insert("Domain".into(), json!("vpc"));
            p.insert("Tags".into(), tags(model, obj));
        }
        (Kind::NatGateway, Role::Main) => {
            let nat = &model.nat_gateways[Id::new(index)];
            let eip = part_logical_id(Kind::NatGateway, &nat.common.name, &Role::Eip);
            p.insert("AllocationId".into(), get_att(&eip, "AllocationId"));
            p.insert(
                "SubnetId".into(),
                id_ref(model, model.nat_gateway_subnet(Id::new(index))),
            );
            if let Some(ip) = &nat.private_ip {
                p.insert("PrivateIpAddress".into(), json!(ip.value));
            }
            p.insert("Tags".into(), tags(model, obj));
        }
        (Kind::SecurityGroup, Role::Main) => {
            let group = &model.security_groups[Id::new(index)];
            security_group(model, obj, group, &mut p);
        }
        (Kind::SecurityGroup, Role::Ingress { rule, source }) => {
            let group = &model.security_groups[Id::new(index)];
            let rule = &group.ingress[*rule];
            let from = rule.security_groups[*source].value;
            p.insert("GroupId".into(), object_ref(model, obj));
            protocol_and_ports(rule, &mut p);
            p.insert("SourceSecurityGroupId".into(), id_ref(model, from));
            let from_name = &model.security_groups[from].common.name;
            p.insert(
                "Description".into(),
                json!(rule_description(
                    rule,
                    &format!("security group {from_name}")
                )),
            );
        }
        (Kind::LoadBalancer, Role::Main) => {
            let lb = &model.load_balancers[Id::new(index)];
            let kind = model.load_balancer_type(Id::new(index));
            p.insert("Type".into(), json!(kind.as_str()));
            if kind == LoadBalancerType::Network {
                p.insert("Scheme".into(), json!("internal"));
            }
            p.insert("Subnets".into(), refs(model, &lb.subnets));
            if let Some(ip) = &lb.ip_address_type {
                p.insert("IpAddressType".into(), json!(ip.value.as_str()));
            }
            if !lb.security_groups.is_empty() {
                p.insert("SecurityGroups".into(), refs(model, &lb.security_groups));
            }
            p.insert("Tags".into(), tags(model, obj));
        }
        (Kind::LoadBalancer, Role::TargetGroup(listener)) => {
            target_group(model, obj, *listener, &mut p);
        }
        (Kind::LoadBalancer, Role::Listener(listener)) => {
            let lb = &model.load_balancers[Id::new(index)];
            let kind = model.load_balancer_type(Id::new(index));
            let l = &lb.listeners[*listener];
            p.insert("LoadBalancerArn".into(), object_ref(model, obj));
            // A gateway load balancer's listener takes neither port nor protocol.
            if kind == LoadBalancerType::Network {
                let valid = model.created_listener(Id::new(index), *listener);
                p.insert("Port".into(), json!(valid.port));
                p.insert("Protocol".into(), json!(valid.protocol.as_str()));
                if let Some(arn) = &l.certificate_arn {
                    p.insert(
                        "Certificates".into(),
                        json!([{"CertificateArn": arn.value}]),
                    );
                }
            }
            let group = vpce_model::resources::target_group_logical_id(lb, *listener);
            p.insert(
                "DefaultActions".into(),
                json!([{"Type": "forward", "TargetGroupArn": reference(&group)}]),
            );
        }
        (Kind::Endpoint, Role::Main) => {
            endpoint(model, obj, &mut p);
            depends_on.extend(gateway_endpoint_first(model, obj));
            depends_on.extend(permissions_first(model, obj));
        }
        (Kind::EndpointService, Role::Main) => {
            let service = &model.endpoint_services[Id::new(index)];
            let gateway = service.load_balancers.iter().any(|lb| {
                model.load_balancers[lb.value]
                    .lb_type
                    .as_ref()
                    .map(|t| t.value)
                    == Some(LoadBalancerType::Gateway)
            });
            let key = if gateway {
                "GatewayLoadBalancerArns"
            } else {
                "NetworkLoadBalancerArns"
            };
            p.insert(key.into(), refs(model, &service.load_balancers));
            p.insert(
                "AcceptanceRequired".into(),
                json!(service.acceptance_required),
            );
            if let Some(name) = service.private_dns_name.as_ref().filter(|_| !gateway) {
                p.insert("PrivateDnsName".into(), json!(name.value));
            }
            if !service.supported_ip_address_types.is_empty() {
                let types: Vec<&str> = service
                    .supported_ip_address_types
                    .iter()
                    .map(|t| t.value.as_str())
                    .collect();
                p.insert("SupportedIpAddressTypes".into(), json!(types));
            }
            if !service.supported_regions.is_empty() {
                let regions: Vec<&str> = service
                    .supported_regions
                    .iter()
                    .map(|r| r.value.as_str())
                    .collect();
                p.insert("SupportedRegions".into(), json!(regions));
            }
            p.insert("Tags".into(), tags(model, obj));
        }
        (Kind::EndpointService, Role::Permissions) => {
            let service = &model.endpoint_services[Id::new(index)];
            p.insert("ServiceId".into(), object_ref(model, obj));
            let principals: Vec<&str> = service
                .allowed_principals
                .iter()
                .map(|p| p.value.as_str())
                .collect();
            p.insert("AllowedPrincipals".into(), json!(principals));
        }
        (kind, role) => unreachable!("no resource {role:?} for {kind:?}"),
    }
    let mut value = body(resource.resource_type, p);
    if !depends_on.is_empty() {
        value["DependsOn"] = json!(depends_on);
    }
    value
}

/// The target group listener `listener` forwards to: IP targets on the target port,
/// checked by TCP on that port. A TLS listener terminates TLS and forwards TCP; a
/// gateway load balancer's forwards GENEVE on 6081.
fn target_group(model: &ValidModel, obj: ObjRef, listener: usize, p: &mut Map<String, Value>) {
    let lb = &model.load_balancers[Id::new(obj.index as usize)];
    let l = &lb.listeners[listener];
    let valid = model.created_listener(Id::new(obj.index as usize), listener);
    let protocol = match valid.protocol {
        ListenerProtocol::Tls => ListenerProtocol::Tcp,
        other => other,
    };
    let port = valid.target_port;
    p.insert("VpcId".into(), id_ref(model, valid.target_group_vpc));
    p.insert("TargetType".into(), json!("ip"));
    p.insert("Protocol".into(), json!(protocol.as_str()));
    p.insert("Port".into(), json!(port));
    p.insert(
        "HealthCheckProtocol".into(),
        json!(ListenerProtocol::Tcp.as_str()),
    );
    p.insert("HealthCheckPort".into(), json!(port.to_string()));
    let targets: Vec<Value> = l
        .targets
        .iter()
        .map(|t| json!({"Id": t.value, "Port": port}))
        .collect();
    if !targets.is_empty() {
        p.insert("Targets".into(), Value::Array(targets));
    }
    p.insert("Tags".into(), tags(model, obj));
}

fn protocol_and_ports(rule: &SecurityGroupRule, p: &mut Map<String, Value>) {
    let protocol = rule
        .protocol
        .as_ref()
        .map_or(ALL_PROTOCOLS, |p| p.value.as_str());
    p.insert("IpProtocol".into(), json!(protocol));
    if protocol == ALL_PROTOCOLS {
        return;
    }
    let (from, to) = match &rule.ports {
        Some(ports) => (i64::from(ports.from), i64::from(ports.to)),
        None if protocol.starts_with("icmp") => (-1, -1),
        None => (0, 65535),
    };
    p.insert("FromPort".into(), json!(from));
    p.insert("ToPort".into(), json!(to));
}

/// The rule's description, or one that says what it admits (checkov CKV_AWS_23 wants a
/// description on every rule).
fn rule_description(rule: &SecurityGroupRule, peer: &str) -> String {
    if let Some(description) = &rule.description {
        return description.value.clone();
    }
    let protocol = rule
        .protocol
        .as_ref()
        .map_or(ALL_PROTOCOLS, |p| p.value.as_str());
    let what = match (protocol, &rule.ports) {
        (ALL_PROTOCOLS, _) => "all traffic".to_string(),
        (protocol, Some(ports)) if ports.from == ports.to => format!("{protocol} {}", ports.from),
        (protocol, Some(ports)) => format!("{protocol} {}-{}", ports.from, ports.to),
        (protocol, None) => format!("all {protocol}"),
    };
    format!("{what} with {peer}")
}

/// CloudFormation accepts only some characters in a group description.
fn group_description(text: &str) -> String {
    let allowed = |c: char| c.is_ascii_alphanumeric() || " ._-:/()#,@[]+=&;{}!$*".contains(c);
    let cleaned: String = text
        .chars()
        .map(|c| if allowed(c) { c } else { ' ' })
        .collect();
    cleaned.chars().take(255).collect()
}

fn security_group(
    model: &ValidModel,
    obj: ObjRef,
    group: &SecurityGroup,
    p: &mut Map<String, Value>,
) {
    let description = group.description.as_ref().map_or_else(
        || format!("vpce security group {}", group.common.name),
        |d| d.value.clone(),
    );
    p.insert(
        "GroupDescription".into(),
        json!(group_description(&description)),
    );
    p.insert(
        "VpcId".into(),
        id_ref(model, model.security_group_vpc(Id::new(obj.index as usize))),
    );
    let cidr_rules = |rules: &[SecurityGroupRule], egress: bool| -> Vec<Value> {
        let mut out = Vec::new();
        for rule in rules {
            for cidr in &rule.cidrs {
                let mut entry = Map::new();
                protocol_and_ports(rule, &mut entry);
                let key = match (cidr.value.contains(':'), egress) {
                    (false, _) => "CidrIp",
                    (true, _) => "CidrIpv6",
                };
                entry.insert(key.into(), json!(cidr.value));
                entry.insert(
                    "Description".into(),
                    json!(rule_description(rule, &cidr.value)),
                );
                out.push(Value::Object(entry));
            }
            if egress {
                for destination in &rule.security_groups {
                    let mut entry = Map::new();
                    protocol_and_ports(rule, &mut entry);
                    entry.insert(
                        "DestinationSecurityGroupId".into(),
                        id_ref(model, destination.value),
                    );
                    let name = &model.security_groups[destination.value].common.name;
                    entry.insert(
                        "Description".into(),
                        json!(rule_description(rule, &format!("security group {name}"))),
                    );
                    out.push(Value::Object(entry));
                }
            }
        }
        out
    };
    let ingress = cidr_rules(&group.ingress, false);
    if !ingress.is_empty() {
        p.insert("SecurityGroupIngress".into(), Value::Array(ingress));
    }
    // No egress block: AWS's default, all traffic out, so the property is left out.
    let egress = cidr_rules(&group.egress, true);
    if !egress.is_empty() {
        p.insert("SecurityGroupEgress".into(), Value::Array(egress));
    }
    p.insert("Tags".into(), tags(model, obj));
}

/// The service name an endpoint connects to, in the partition of the region that
/// provides it. The region part is the stack's own (`AWS::Region`) unless the service
/// lives in another region, which is then written out.
fn service_name(model: &ValidModel, id: Id<vpce_model::Endpoint>) -> Value {
    let endpoint = &model.endpoints[id];
    let vpc_region = model
        .vpc_region(model.endpoint_vpc(id))
        .map(|r| r.value.as_str());
    let service_region = endpoint.service_region.as_ref().map(|r| r.value.as_str());
    let region_part = |provider: Option<&str>| match provider {
        Some(region) if Some(region) != vpc_region => json!(region),
        _ => json!({"Ref": "AWS::Region"}),
    };
    let region_data = |provider: Option<&str>| provider.or(vpc_region).and_then(vpce_data::region);
    match model.endpoint_service(id) {
        ServiceRef::Local(id) => {
            let service = &model.endpoint_services[*id];
            let provider = model.endpoint_service_region(*id).or(service_region);
            let prefix = region_data(provider)
                .map_or("com.amazonaws.vpce", |r| r.endpoint_service_name_prefix());
            let service_id = match &service.common.existing {
                Some(id) => json!(id.value),
                None => reference(&logical_id(Kind::EndpointService, &service.common.name)),
            };
            json!({"Fn::Join": [".", [prefix, region_part(provider), service_id]]})
        }
        ServiceRef::Named(name) => {
            let name = name.trim();
            if name.starts_with("com.amazonaws.") || name.starts_with("cn.com.amazonaws.") {
                return json!(name);
            }
            let prefix =
                region_data(service_region).map_or("com.amazonaws", |r| r.service_name_prefix());
            match region_part(service_region) {
                Value::String(region) => json!(format!("{prefix}.{region}.{name}")),
                _ => json!({"Fn::Sub": format!("{prefix}.${{AWS::Region}}.{name}")}),
            }
        }
    }
}

/// An endpoint to a local endpoint service that allows principals connects only once
/// its account is allowed: without the dependency CloudFormation creates the endpoint
/// and the permissions in parallel, and the connection request can be refused.
fn permissions_first(model: &Model, obj: ObjRef) -> Option<String> {
    let endpoint = &model.endpoints[Id::new(obj.index as usize)];
    let ServiceRef::Local(id) = &endpoint.service.as_ref()?.value else {
        return None;
    };
    let service = &model.endpoint_services[*id];
    if service.common.is_existing() || service.allowed_principals.is_empty() {
        return None;
    }
    Some(part_logical_id(
        Kind::EndpointService,
        &service.common.name,
        &Role::Permissions,
    ))
}

/// An S3 interface endpoint whose private DNS serves only the inbound resolver needs
/// the VPC's S3 gateway endpoint to exist first (AWS: "the VPC ... must have a Gateway
/// endpoint for the service").
fn gateway_endpoint_first(model: &Model, obj: ObjRef) -> Option<String> {
    let endpoint = &model.endpoints[Id::new(obj.index as usize)];
    if !endpoint
        .private_dns_only_for_inbound_resolver
        .as_ref()
        .is_some_and(|o| o.value)
    {
        return None;
    }
    let is_s3 = |e: &vpce_model::Endpoint| {
        matches!(e.service.as_ref().map(|s| &s.value), Some(ServiceRef::Named(name))
            if name == "s3" || (name.starts_with("com.amazonaws.") && name.ends_with(".s3")))
    };
    model
        .endpoints
        .iter()
        .find(|(_, other)| {
            other.vpc == endpoint.vpc
                && other.endpoint_type.as_ref().map(|t| t.value) == Some(EndpointType::Gateway)
                && is_s3(other)
                && !other.common.is_existing()
        })
        .map(|(_, gateway)| logical_id(Kind::Endpoint, &gateway.common.name))
}

fn endpoint(model: &ValidModel, obj: ObjRef, p: &mut Map<String, Value>) {
    let id = Id::new(obj.index as usize);
    let endpoint = &model.endpoints[id];
    let kind = model.endpoint_type(id);
    p.insert("VpcEndpointType".into(), json!(kind.cloudformation_name()));
    p.insert("ServiceName".into(), service_name(model, id));
    p.insert("VpcId".into(), id_ref(model, model.endpoint_vpc(id)));
    match kind {
        EndpointType::Gateway => {
            p.insert("RouteTableIds".into(), refs(model, &endpoint.route_tables));
        }
        EndpointType::Interface | EndpointType::GatewayLoadBalancer => {
            p.insert("SubnetIds".into(), refs(model, &endpoint.subnets));
        }
    }
    if kind == EndpointType::Interface {
        if !endpoint.security_groups.is_empty() {
            p.insert(
                "SecurityGroupIds".into(),
                refs(model, &endpoint.security_groups),
            );
        }
        // CloudFormation defaults this to false and the EC2 API to true: always say it.
        let private_dns = vpce_model::service::private_dns_enabled(endpoint);
        p.insert("PrivateDnsEnabled".into(), json!(private_dns));
        if let Some(region) = &endpoint.service_region {
            p.insert("ServiceRegion".into(), json!(region.value));
        }
    }
    if let Some(ip) = &endpoint.ip_address_type {
        p.insert("IpAddressType".into(), json!(ip.value.as_str()));
    }
    let mut dns_options = Map::new();
    if let Some(record) = &endpoint.dns_record_ip_type {
        dns_options.insert("DnsRecordIpType".into(), json!(record.value));
    }
    if let Some(only) = &endpoint.private_dns_only_for_inbound_resolver {
        let value = if only.value {
            "OnlyInboundResolver"
        } else {
            "AllResolvers"
        };
        dns_options.insert(
            "PrivateDnsOnlyForInboundResolverEndpoint".into(),
            json!(value),
        );
    }
    if !dns_options.is_empty() {
        p.insert("DnsOptions".into(), Value::Object(dns_options));
    }
    if let Some(policy) = &endpoint.policy {
        let document = match &policy.value {
            Policy::Document(document) => document.clone(),
            Policy::Json(text) => serde_json::from_str(text).unwrap_or_else(|_| json!(text)),
        };
        p.insert("PolicyDocument".into(), document);
    }
    p.insert("Tags".into(), tags(model, obj));
}

/// Outputs: endpoint ids and DNS entries, endpoint service ids and names, each with an
/// export named after the stack.
pub fn outputs(model: &Model) -> Vec<(String, ObjRef, Value)> {
    let mut out = Vec::new();
    let export = |name: &str| json!({"Name": {"Fn::Sub": format!("${{AWS::StackName}}-{name}")}});
    for (id, endpoint) in model
        .endpoints
        .iter()
        .filter(|(_, e)| !e.common.is_existing())
    {
        let logical = logical_id(Kind::Endpoint, &endpoint.common.name);
        let output_id =
            |output| object_output_logical_id(Kind::Endpoint, &endpoint.common.name, output);
        let name = output_id(ObjectOutput::Id);
        out.push((
            name.clone(),
            id.obj_ref(),
            json!({"Description": format!("id of endpoint {}", endpoint.common.name), "Value": reference(&logical), "Export": export(&name)}),
        ));
        if endpoint.endpoint_type.as_ref().map(|t| t.value) == Some(EndpointType::Interface) {
            let name = output_id(ObjectOutput::DnsEntries);
            out.push((
                name.clone(),
                id.obj_ref(),
                json!({
                    "Description": format!("DNS entries of endpoint {} (hosted zone id:DNS name)", endpoint.common.name),
                    "Value": {"Fn::Join": [",", get_att(&logical, "DnsEntries")]},
                    "Export": export(&name),
                }),
            ));
        }
    }
    for (id, service) in model
        .endpoint_services
        .iter()
        .filter(|(_, s)| !s.common.is_existing())
    {
        let logical = logical_id(Kind::EndpointService, &service.common.name);
        let output_id =
            |output| object_output_logical_id(Kind::EndpointService, &service.common.name, output);
        let id_name = output_id(ObjectOutput::Id);
        out.push((
            id_name.clone(),
            id.obj_ref(),
            json!({"Description": format!("id of endpoint service {}", service.common.name), "Value": reference(&logical), "Export": export(&id_name)}),
        ));
        let name = output_id(ObjectOutput::ServiceName);
        let prefix = model
            .endpoint_service_region(id)
            .and_then(vpce_data::region)
            .map_or("com.amazonaws.vpce", |r| r.endpoint_service_name_prefix());
        out.push((
            name.clone(),
            id.obj_ref(),
            json!({
                "Description": format!("service name of endpoint service {}, for consumers", service.common.name),
                "Value": {"Fn::Join": [".", [prefix, {"Ref": "AWS::Region"}, reference(&logical)]]},
                "Export": export(&name),
            }),
        ));
    }
    out
}

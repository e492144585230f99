//! `vpce graph`: the topology a network engineer draws. Regions and VPCs are clusters,
//! subnets are grouped by AZ; route tables point at their next hops, subnets at their
//! route tables, endpoints at the subnets they have interfaces in (or the route tables
//! they add routes to), at the endpoint services they connect to across VPCs, and
//! endpoint services at their load balancers.
//!
//! One [`Topology`] is built from the model and written by two renderers, Mermaid and
//! DOT; both are deterministic (model order throughout).

mod render;

use std::collections::{HashMap, HashSet};

use vpce_model::{EndpointType, LoadBalancerType, Model, ObjRef, ServiceRef};

pub use render::{dot, mermaid, Mark};

/// How a node is drawn.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Shape {
    /// Subnets, security groups.
    Box,
    /// Route tables.
    Rounded,
    /// Endpoints.
    Hexagon,
    /// Gateways and load balancers.
    Stadium,
    /// Endpoint services.
    Cylinder,
    /// Networks outside the configuration.
    Cloud,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    /// `subnet_3`: kind and index, valid in both formats.
    pub id: String,
    pub obj: ObjRef,
    /// Lines of the label; the first is the address.
    pub label: Vec<String>,
    pub shape: Shape,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Cluster {
    pub id: String,
    pub label: String,
    /// Indices into `Topology::nodes`.
    pub nodes: Vec<usize>,
    pub children: Vec<Cluster>,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Line {
    /// Association, route.
    Solid,
    /// Where an endpoint has its interfaces or routes.
    Dashed,
    /// PrivateLink: a consumer endpoint to a provider's service.
    Thick,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Edge {
    pub from: String,
    pub to: String,
    pub label: Option<String>,
    pub line: Line,
}

/// What the diagram shows.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Topology {
    pub nodes: Vec<Node>,
    /// Top-level clusters (regions, then a cluster of remote networks); nodes that
    /// belong to no cluster are in `loose`.
    pub clusters: Vec<Cluster>,
    pub loose: Vec<usize>,
    pub edges: Vec<Edge>,
}

pub fn node_id(obj: ObjRef) -> String {
    format!("{}_{}", obj.kind.keyword(), obj.index)
}

/// Where a node goes: a region, optionally a VPC, optionally an AZ in it.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Place {
    region: Option<String>,
    vpc: Option<usize>,
    az: Option<String>,
}

pub fn topology(model: &Model) -> Topology {
    let mut nodes: Vec<(Node, Place)> = Vec::new();
    let mut edges = Vec::new();
    let region_of_vpc = |vpc: usize| {
        model
            .vpc_region(vpce_model::Id::new(vpc))
            .map(|r| r.value.clone())
    };
    let top_region = model.region.as_ref().map(|r| r.value.clone());
    let in_vpc = |vpc: Option<usize>, az: Option<String>| match vpc {
        Some(vpc) => Place {
            region: region_of_vpc(vpc),
            vpc: Some(vpc),
            az,
        },
        None => Place {
            region: top_region.clone(),
            vpc: None,
            az: None,
        },
    };
    let cidr = |c: &Option<vpce_model::Spanned<vpce_model::net::Cidr>>| {
        c.as_ref().map(|c| c.value.text.clone())
    };

    for (id, subnet) in model.subnets.iter() {
        let obj = id.obj_ref();
        let mut label = vec![model.address(obj)];
        label.extend(cidr(&subnet.cidr));
        let az = subnet.az.as_ref().map(|a| a.value.text.clone());
        nodes.push((
            node(obj, label, Shape::Box),
            in_vpc(subnet.vpc.map(|v| v.index()), az),
        ));
        if let Some(table) = &subnet.route_table {
            edges.push(edge(obj, table.value.obj_ref(), None, Line::Solid));
        }
    }
    for (id, table) in model.route_tables.iter() {
        let obj = id.obj_ref();
        nodes.push((
            node(obj, vec![model.address(obj)], Shape::Rounded),
            in_vpc(table.vpc.map(|v| v.index()), None),
        ));
        if let Some(gateway) = &table.edge {
            let label = Some("ingress".to_string());
            edges.push(edge(gateway.value.obj_ref(), obj, label, Line::Dashed));
        }
        for route in &table.routes {
            if let Some(target) = &route.target {
                let label = route.destination.as_ref().map(|d| d.value.text.clone());
                edges.push(edge(obj, target.value, label, Line::Solid));
            }
        }
    }
    for (id, igw) in model.internet_gateways.iter() {
        let obj = id.obj_ref();
        nodes.push((
            node(obj, vec![model.address(obj)], Shape::Stadium),
            in_vpc(igw.vpc.map(|v| v.index()), None),
        ));
    }
    for (id, nat) in model.nat_gateways.iter() {
        let obj = id.obj_ref();
        let subnet = nat.subnet.map(|s| &model.subnets[s]);
        let vpc = subnet.and_then(|s| s.vpc).map(|v| v.index());
        let az = subnet
            .and_then(|s| s.az.as_ref())
            .map(|a| a.value.text.clone());
        nodes.push((
            node(obj, vec![model.address(obj)], Shape::Stadium),
            in_vpc(vpc, az),
        ));
        if let Some(subnet) = nat.subnet {
            edges.push(edge(obj, subnet.obj_ref(), None, Line::Dashed));
        }
    }
    for (id, lb) in model.load_balancers.iter() {
        let obj = id.obj_ref();
        let kind = match lb.lb_type.as_ref().map(|t| t.value) {
            Some(LoadBalancerType::Gateway) => "gateway load balancer",
            Some(LoadBalancerType::Network) => "network load balancer",
            None => "load balancer",
        };
        let vpc = lb
            .subnets
            .first()
            .and_then(|s| model.subnets[s.value].vpc)
            .map(|v| v.index());
        nodes.push((
            node(
                obj,
                vec![model.address(obj), kind.to_string()],
                Shape::Stadium,
            ),
            in_vpc(vpc, None),
        ));
    }
    for (id, service) in model.endpoint_services.iter() {
        let obj = id.obj_ref();
        let region = model.endpoint_service_region(id).map(str::to_string);
        let vpc = service
            .load_balancers
            .first()
            .and_then(|lb| model.load_balancers[lb.value].subnets.first())
            .and_then(|s| model.subnets[s.value].vpc)
            .map(|v| v.index());
        let mut place = in_vpc(vpc, None);
        if place.region.is_none() {
            place.region = region;
        }
        nodes.push((
            node(
                obj,
                vec![model.address(obj), "endpoint service".into()],
                Shape::Cylinder,
            ),
            place,
        ));
        for lb in &service.load_balancers {
            edges.push(edge(obj, lb.value.obj_ref(), None, Line::Solid));
        }
    }
    for (id, endpoint) in model.endpoints.iter() {
        let obj = id.obj_ref();
        let endpoint_type = endpoint.endpoint_type.as_ref().map(|t| t.value);
        let type_name = match endpoint_type {
            Some(EndpointType::GatewayLoadBalancer) => "gateway load balancer",
            Some(kind) => kind.as_str(),
            None => "endpoint",
        };
        let service = endpoint.service.as_ref().map(|s| match &s.value {
            ServiceRef::Named(name) => name.clone(),
            ServiceRef::Local(service) => model.address(service.obj_ref()),
        });
        let mut label = vec![model.address(obj), type_name.to_string()];
        label.extend(service.clone());
        nodes.push((
            node(obj, label, Shape::Hexagon),
            in_vpc(endpoint.vpc.map(|v| v.index()), None),
        ));
        for subnet in &endpoint.subnets {
            edges.push(edge(obj, subnet.value.obj_ref(), None, Line::Dashed));
        }
        for table in &endpoint.route_tables {
            let label = service
                .clone()
                .filter(|_| endpoint_type == Some(EndpointType::Gateway));
            edges.push(edge(table.value.obj_ref(), obj, label, Line::Dashed));
        }
        if let Some(ServiceRef::Local(service)) = endpoint.service.as_ref().map(|s| &s.value) {
            edges.push(edge(
                obj,
                service.obj_ref(),
                Some("PrivateLink".into()),
                Line::Thick,
            ));
        }
    }
    let mut remote = Vec::new();
    for (id, network) in model.remote_networks.iter() {
        let obj = id.obj_ref();
        let mut label = vec![model.address(obj)];
        label.extend(network.cidrs.iter().map(|c| c.value.text.clone()));
        remote.push(nodes.len());
        nodes.push((
            node(obj, label, Shape::Cloud),
            Place {
                region: None,
                vpc: None,
                az: None,
            },
        ));
        if let Some(vpc) = network.vpc {
            // Drawn to the VPC's first route table would invent a route: the link is
            // to the VPC itself, shown as an edge to its cluster.
            edges.push(Edge {
                from: node_id(obj),
                to: vpc_cluster_id(vpc.index()),
                label: network.gateway.as_ref().map(|g| g.value.clone()),
                line: Line::Dashed,
            });
        }
    }
    assemble(model, nodes, remote, edges)
}

fn node(obj: ObjRef, label: Vec<String>, shape: Shape) -> Node {
    Node {
        id: node_id(obj),
        obj,
        label,
        shape,
    }
}

fn edge(from: ObjRef, to: ObjRef, label: Option<String>, line: Line) -> Edge {
    Edge {
        from: node_id(from),
        to: node_id(to),
        label,
        line,
    }
}

pub fn vpc_cluster_id(vpc: usize) -> String {
    format!("vpc_{vpc}_cluster")
}

fn sanitize(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect()
}

/// Puts the nodes into region, VPC and AZ clusters, in model order.
fn assemble(
    model: &Model,
    nodes: Vec<(Node, Place)>,
    remote: Vec<usize>,
    edges: Vec<Edge>,
) -> Topology {
    let mut topology = Topology::default();
    let mut regions: Vec<Cluster> = Vec::new();
    // Clusters are found by id through maps: a search of the list per node is
    // quadratic in the number of VPCs (most of a 100k-endpoint plan's time).
    let mut region_index: HashMap<String, usize> = HashMap::new();
    let mut region_cluster = |regions: &mut Vec<Cluster>, region: &str| -> usize {
        let id = format!("region_{}", sanitize(region));
        *region_index.entry(id).or_insert_with_key(|id| {
            regions.push(Cluster {
                id: id.clone(),
                label: region.to_string(),
                ..Cluster::default()
            });
            regions.len() - 1
        })
    };
    // A VPC's cluster: its region's index and its index among the region's children.
    let mut vpc_clusters: HashMap<usize, (usize, usize)> = HashMap::new();
    // VPC clusters first, in model order, so that they appear even when empty.
    for (id, vpc) in model.vpcs.iter() {
        let region = model
            .vpc_region(id)
            .map(|r| r.value.clone())
            .unwrap_or_default();
        let r = region_cluster(&mut regions, &region);
        let mut label = model.address(id.obj_ref());
        if let Some(cidr) = &vpc.cidr {
            label = format!("{label} {}", cidr.value);
        }
        let children = &mut regions[r].children;
        vpc_clusters.insert(id.index(), (r, children.len()));
        children.push(Cluster {
            id: vpc_cluster_id(id.index()),
            label,
            ..Cluster::default()
        });
    }
    let remote_set: HashSet<usize> = remote.iter().copied().collect();
    for (index, (node, place)) in nodes.into_iter().enumerate() {
        topology.nodes.push(node);
        if remote_set.contains(&index) {
            continue;
        }
        let Some(region) = &place.region else {
            topology.loose.push(index);
            continue;
        };
        let r = region_cluster(&mut regions, region);
        let Some(vpc) = place.vpc else {
            regions[r].nodes.push(index);
            continue;
        };
        // A node placed in a region other than its VPC's (an endpoint service whose
        // region is its own) is drawn in the region, outside the VPC.
        let Some(&(_, v)) = vpc_clusters
            .get(&vpc)
            .filter(|(vpc_region, _)| *vpc_region == r)
        else {
            regions[r].nodes.push(index);
            continue;
        };
        let vpc_cluster = &mut regions[r].children[v];
        match &place.az {
            Some(az) => {
                let az_id = format!("{}_{}", vpc_cluster.id, sanitize(az));
                let a = match vpc_cluster.children.iter().position(|c| c.id == az_id) {
                    Some(a) => a,
                    None => {
                        vpc_cluster.children.push(Cluster {
                            id: az_id,
                            label: az.clone(),
                            ..Cluster::default()
                        });
                        vpc_cluster.children.len() - 1
                    }
                };
                vpc_cluster.children[a].nodes.push(index);
            }
            None => vpc_cluster.nodes.push(index),
        }
    }
    topology.clusters = regions;
    if !remote.is_empty() {
        topology.clusters.push(Cluster {
            id: "remote_networks".into(),
            label: "remote networks".into(),
            nodes: remote,
            children: Vec::new(),
        });
    }
    topology.edges = edges;
    topology
}

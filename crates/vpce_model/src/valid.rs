//! A model in which the checks found no error: what the backends (the CloudFormation
//! emitter and the plan) take instead of a bare [`Model`].
//!
//! Resolution leaves a typed field `None` where the value was wrong or missing, and
//! reports it; a model without errors therefore has every required attribute. The
//! backends need some of those as plain values (a subnet's VPC, a route's target, a
//! listener's protocol and port). [`ValidModel::new`] refuses a model that has an error
//! diagnostic, and reads those facts out once, refusing (with what is missing) rather
//! than panicking if the checks ever let one through; the backends then read them
//! through accessors that cannot fail.

use std::fmt;

use vpce_diagnostics::Diagnostic;

use crate::{
    net::Cidr, EndpointType, Id, InternetGateway, Kind, ListenerProtocol, LoadBalancer,
    LoadBalancerType, Model, NatGateway, Object, RemoteGateway, RouteTable, SecurityGroup,
    ServiceRef, Subnet, Vpc,
};

/// A model the checks found no error in, with the facts they established. Only
/// [`ValidModel::new`] makes one; it reads as the [`Model`] it wraps.
#[derive(Debug)]
pub struct ValidModel<'m> {
    model: &'m Model,
    subnet_vpc: Vec<Id<Vpc>>,
    route_table_vpc: Vec<Id<Vpc>>,
    routes: Vec<Vec<ValidRoute<'m>>>,
    internet_gateway_vpc: Vec<Id<Vpc>>,
    nat_gateway_subnet: Vec<Id<Subnet>>,
    security_group_vpc: Vec<Id<Vpc>>,
    load_balancer_type: Vec<LoadBalancerType>,
    /// Per load balancer; empty for an existing one, whose listeners become no resource.
    created_listeners: Vec<Vec<ValidListener>>,
    endpoint_type: Vec<EndpointType>,
    endpoint_vpc: Vec<Id<Vpc>>,
    endpoint_service: Vec<&'m ServiceRef>,
}

/// A route of a valid model: where it goes and what it targets.
#[derive(Copy, Clone, Debug)]
pub struct ValidRoute<'m> {
    pub destination: &'m Cidr,
    pub target: RouteTarget<'m>,
}

/// What a route targets.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum RouteTarget<'m> {
    InternetGateway(Id<InternetGateway>),
    NatGateway(Id<NatGateway>),
    /// A gateway load balancer endpoint (the only endpoints that are route targets).
    Endpoint(Id<crate::Endpoint>),
    /// A remote network's existing gateway: its kind and id.
    RemoteGateway {
        kind: RemoteGateway,
        id: &'m str,
    },
}

/// A listener of a created load balancer, with the protocol and ports it takes (GENEVE
/// on 6081 for a gateway load balancer's listener that names neither) and the VPC of its
/// target group (the load balancer's).
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct ValidListener {
    pub protocol: ListenerProtocol,
    pub port: u16,
    pub target_port: u16,
    pub target_group_vpc: Id<Vpc>,
}

/// Why a model cannot be a [`ValidModel`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NotValid {
    /// The checks reported errors: `count` of them, the first as `CODE message`.
    Errors { count: usize, first: String },
    /// No error was reported, yet facts the backends need are missing (a check that
    /// should have reported them did not: a bug in vpce).
    MissingFacts(Vec<String>),
}

impl fmt::Display for NotValid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NotValid::Errors { count, first } => write!(
                f,
                "the configuration has {count} error{} (the first: {first})",
                if *count == 1 { "" } else { "s" }
            ),
            NotValid::MissingFacts(missing) => write!(
                f,
                "the configuration has no error, yet {}",
                missing.join("; ")
            ),
        }
    }
}

impl std::error::Error for NotValid {}

impl<'m> ValidModel<'m> {
    /// The model, if `diagnostics` (everything the checks reported about it) holds no
    /// error and every fact the backends need is known.
    pub fn new(model: &'m Model, diagnostics: &[Diagnostic]) -> Result<ValidModel<'m>, NotValid> {
        let mut errors = diagnostics.iter().filter(|d| d.is_error());
        if let Some(first) = errors.next() {
            return Err(NotValid::Errors {
                count: 1 + errors.count(),
                first: format!("{} {}", first.code.as_str(), first.message),
            });
        }
        let mut missing = Missing {
            model,
            found: Vec::new(),
        };
        let valid = ValidModel {
            model,
            subnet_vpc: missing.each(&model.subnets, "vpc", |s| s.vpc),
            route_table_vpc: missing.each(&model.route_tables, "vpc", |t| t.vpc),
            routes: model
                .route_tables
                .iter()
                .map(|(id, table)| {
                    let routes = table.routes.iter();
                    routes
                        .filter_map(|route| missing.route(id, route))
                        .collect()
                })
                .collect(),
            internet_gateway_vpc: missing.each(&model.internet_gateways, "vpc", |g| g.vpc),
            nat_gateway_subnet: missing.each(&model.nat_gateways, "subnet", |n| n.subnet),
            security_group_vpc: missing.each(&model.security_groups, "vpc", |g| g.vpc),
            load_balancer_type: missing.each(&model.load_balancers, "type", |lb| {
                lb.lb_type.as_ref().map(|t| t.value)
            }),
            created_listeners: model
                .load_balancers
                .iter()
                .map(|(id, lb)| missing.listeners(id, lb))
                .collect(),
            endpoint_type: missing.each(&model.endpoints, "type", |e| {
                e.endpoint_type.as_ref().map(|t| t.value)
            }),
            endpoint_vpc: missing.each(&model.endpoints, "vpc", |e| e.vpc),
            endpoint_service: missing.each(&model.endpoints, "service", |e| {
                e.service.as_ref().map(|s| &s.value)
            }),
        };
        if missing.found.is_empty() {
            Ok(valid)
        } else {
            Err(NotValid::MissingFacts(missing.found))
        }
    }

    /// The model itself, for what takes a `&Model`.
    pub fn model(&self) -> &'m Model {
        self.model
    }

    pub fn subnet_vpc(&self, subnet: Id<Subnet>) -> Id<Vpc> {
        self.subnet_vpc[subnet.index()]
    }

    pub fn route_table_vpc(&self, table: Id<RouteTable>) -> Id<Vpc> {
        self.route_table_vpc[table.index()]
    }

    /// Route `index` of `table`, in the order the table writes them.
    pub fn route(&self, table: Id<RouteTable>, index: usize) -> ValidRoute<'m> {
        self.routes[table.index()][index]
    }

    pub fn internet_gateway_vpc(&self, gateway: Id<InternetGateway>) -> Id<Vpc> {
        self.internet_gateway_vpc[gateway.index()]
    }

    pub fn nat_gateway_subnet(&self, gateway: Id<NatGateway>) -> Id<Subnet> {
        self.nat_gateway_subnet[gateway.index()]
    }

    pub fn security_group_vpc(&self, group: Id<SecurityGroup>) -> Id<Vpc> {
        self.security_group_vpc[group.index()]
    }

    pub fn load_balancer_type(&self, lb: Id<LoadBalancer>) -> LoadBalancerType {
        self.load_balancer_type[lb.index()]
    }

    /// Listener `index` of a load balancer vpce creates (an existing one's listeners
    /// become no resource, so nothing asks for them).
    pub fn created_listener(&self, lb: Id<LoadBalancer>, index: usize) -> ValidListener {
        self.created_listeners[lb.index()][index]
    }

    pub fn endpoint_type(&self, endpoint: Id<crate::Endpoint>) -> EndpointType {
        self.endpoint_type[endpoint.index()]
    }

    pub fn endpoint_vpc(&self, endpoint: Id<crate::Endpoint>) -> Id<Vpc> {
        self.endpoint_vpc[endpoint.index()]
    }

    pub fn endpoint_service(&self, endpoint: Id<crate::Endpoint>) -> &'m ServiceRef {
        self.endpoint_service[endpoint.index()]
    }
}

impl std::ops::Deref for ValidModel<'_> {
    type Target = Model;

    fn deref(&self) -> &Model {
        self.model
    }
}

/// Collects what a model without errors should have and has not.
struct Missing<'m> {
    model: &'m Model,
    found: Vec<String>,
}

impl<'m> Missing<'m> {
    fn note(&mut self, obj: crate::ObjRef, what: &str) {
        self.found
            .push(format!("`{}` has no {what}", self.model.address(obj)));
    }

    /// `fact` of every object of an arena; the objects without it are noted.
    fn each<T: Object, F>(
        &mut self,
        arena: &'m crate::Arena<T>,
        attribute: &str,
        fact: impl Fn(&'m T) -> Option<F>,
    ) -> Vec<F> {
        let mut out = Vec::with_capacity(arena.len());
        for (id, object) in arena.iter() {
            match fact(object) {
                Some(value) => out.push(value),
                None => self.note(id.obj_ref(), &format!("`{attribute}`")),
            }
        }
        out
    }

    fn route(&mut self, table: Id<RouteTable>, route: &'m crate::Route) -> Option<ValidRoute<'m>> {
        let destination = route.destination.as_ref().map(|d| &d.value);
        let target = route.target.as_ref().map(|t| t.value);
        let (Some(destination), Some(target)) = (destination, target) else {
            self.note(table.obj_ref(), "destination and target on every route");
            return None;
        };
        let index = target.index as usize;
        let target = match target.kind {
            Kind::InternetGateway => RouteTarget::InternetGateway(Id::new(index)),
            Kind::NatGateway => RouteTarget::NatGateway(Id::new(index)),
            Kind::Endpoint => RouteTarget::Endpoint(Id::new(index)),
            Kind::RemoteNetwork => {
                let remote = &self.model.remote_networks[Id::new(index)];
                let gateway = remote.gateway.as_ref().map(|g| g.value.as_str());
                let Some((id, kind)) = gateway.and_then(|g| Some((g, RemoteGateway::of(g)?)))
                else {
                    self.note(target, "`gateway` of a known kind for its routes");
                    return None;
                };
                RouteTarget::RemoteGateway { kind, id }
            }
            _ => {
                self.note(table.obj_ref(), "route target vpce can route to");
                return None;
            }
        };
        Some(ValidRoute {
            destination,
            target,
        })
    }

    fn listeners(&mut self, id: Id<LoadBalancer>, lb: &'m LoadBalancer) -> Vec<ValidListener> {
        let Some(kind) = lb.lb_type.as_ref().map(|t| t.value) else {
            return Vec::new(); // noted with the types
        };
        if lb.common.is_existing() || lb.listeners.is_empty() {
            return Vec::new();
        }
        let vpc = lb
            .subnets
            .first()
            .and_then(|s| self.model.subnets[s.value].vpc);
        let Some(vpc) = vpc else {
            self.note(id.obj_ref(), "subnet in a VPC for its target groups");
            return Vec::new();
        };
        let mut out = Vec::with_capacity(lb.listeners.len());
        for listener in &lb.listeners {
            let protocol = listener.effective_protocol(kind);
            let port = listener.effective_port(kind);
            let target_port = listener.effective_target_port(kind);
            match (protocol, port, target_port) {
                (Some(protocol), Some(port), Some(target_port)) => out.push(ValidListener {
                    protocol,
                    port,
                    target_port,
                    target_group_vpc: vpc,
                }),
                _ => self.note(
                    id.obj_ref(),
                    "protocol, port and target port on every listener",
                ),
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model_and_diagnostics(text: &str) -> (Model, Vec<Diagnostic>) {
        let mut sources = vpce_diagnostics::SourceMap::new();
        let file = sources.add("main.hcl", text);
        let (body, _) = vpce_syntax::parse_file(file, text);
        let files = [crate::ParsedFile {
            file,
            body: body.expect("the text parses"),
        }];
        crate::resolve(&files, &[], &[], &crate::NoFiles, &mut sources)
    }

    const CLEAN: &str = r#"
region = "eu-west-1"
vpc "main" {
  cidr = "10.0.0.0/16"
}
subnet "a" {
  vpc  = vpc.main
  az   = "euw1-az1"
  cidr = "10.0.1.0/24"
}
"#;

    #[test]
    fn a_model_without_errors_is_valid_and_gives_its_facts() {
        let (model, diagnostics) = model_and_diagnostics(CLEAN);
        assert!(
            diagnostics.iter().all(|d| !d.is_error()),
            "{diagnostics:#?}"
        );
        let valid = ValidModel::new(&model, &diagnostics).expect("valid");
        let (subnet, _) = valid.subnets.get("a").expect("declared");
        let (vpc, _) = valid.vpcs.get("main").expect("declared");
        assert_eq!(valid.subnet_vpc(subnet), vpc);
    }

    #[test]
    fn a_model_with_an_error_is_refused_with_the_error() {
        // `vpc` is required: V103, and the subnet has no VPC.
        let text = CLEAN.replace("  vpc  = vpc.main\n", "");
        let (model, diagnostics) = model_and_diagnostics(&text);
        let refused = ValidModel::new(&model, &diagnostics).expect_err("refused");
        let NotValid::Errors { count, first } = &refused else {
            panic!("refused for its errors: {refused:?}");
        };
        assert_eq!(*count, 1);
        assert!(first.starts_with("V103 "), "{first}");
        assert_eq!(
            refused.to_string(),
            "the configuration has 1 error (the first: V103 `subnet` is missing the required attribute `vpc`)"
        );
    }

    #[test]
    fn a_model_missing_a_fact_without_an_error_is_refused_naming_it() {
        // As if a check had failed to report the missing `vpc`: the constructor still
        // refuses, saying what is missing, rather than letting a backend panic.
        let text = CLEAN.replace("  vpc  = vpc.main\n", "");
        let (model, _) = model_and_diagnostics(&text);
        let refused = ValidModel::new(&model, &[]).expect_err("refused");
        assert_eq!(
            refused,
            NotValid::MissingFacts(vec!["`subnet.a` has no `vpc`".into()])
        );
        assert_eq!(
            refused.to_string(),
            "the configuration has no error, yet `subnet.a` has no `vpc`"
        );
    }
}

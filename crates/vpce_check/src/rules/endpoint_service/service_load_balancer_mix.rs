use vpce_diagnostics::{Code, Diagnostic};
use vpce_model::{EndpointService, Id, Model};

use super::{address, typed_load_balancers};
use crate::{Rule, RuleCx};

/// V600: an endpoint service backed by both network and gateway load balancers, or by
/// none (`load_balancers = []`).
///
/// An endpoint service fronts either network load balancers (consumers connect with
/// interface endpoints) or gateway load balancers (consumers connect with gateway load
/// balancer endpoints), never both, and it needs at least one. AWS refuses anything
/// else with "exactly one of network_load_balancer_arn or gateway_load_balancer_arn is
/// a required member" [InvalidParameter] (AWS-FACTS §3.6 S1; aws-load-balancer-controller#1859).
///
/// Load balancers whose `type` is unknown (already reported) are left out. An empty
/// list is recognised only when written as the literal `[]`: a list whose items were all
/// invalid is empty in the model too, and those items are already reported.
///
/// AWS: <https://docs.aws.amazon.com/vpc/latest/privatelink/create-endpoint-service.html>.
pub struct ServiceLoadBalancerMix;

fn mixed(cx: &mut RuleCx<'_>, id: Id<EndpointService>, service: &EndpointService) {
    let model = cx.model;
    let mut typed = typed_load_balancers(model, service);
    let Some((first_type, first)) = typed.next() else {
        return;
    };
    let Some((other_type, other)) = typed.find(|(t, _)| *t != first_type) else {
        return;
    };
    let name =
        |item: &vpce_model::Spanned<Id<vpce_model::LoadBalancer>>| address(model, item.value);
    cx.report(
        Diagnostic::new(
            Code::ServiceLoadBalancerMix,
            format!(
                "`{}` mixes network and gateway load balancers",
                address(model, id)
            ),
        )
        .with_label(
            other.span,
            format!(
                "`{}` is a {} load balancer",
                name(other),
                other_type.as_str()
            ),
        )
        .with_label(
            first.span,
            format!(
                "`{}` is a {} load balancer",
                name(first),
                first_type.as_str()
            ),
        )
        .with_help(format!(
            "publish the {} load balancers as a separate `endpoint_service`",
            other_type.as_str()
        )),
    );
}

fn empty(cx: &mut RuleCx<'_>, id: Id<EndpointService>, service: &EndpointService, model: &Model) {
    let Some(span) = service.common.value_span("load_balancers") else {
        return;
    };
    // A list emptied by invalid items has been reported already.
    if !service.load_balancers.is_empty() || service.common.is_rejected("load_balancers") {
        return;
    }
    cx.report(
        Diagnostic::new(
            Code::ServiceLoadBalancerMix,
            format!("`{}` has no load balancers", address(model, id)),
        )
        .with_label(span, "no load balancer")
        .with_help(
            "list the network (or gateway) load balancers that serve it, e.g. `load_balancers = [load_balancer.api]`",
        ),
    );
}

impl Rule for ServiceLoadBalancerMix {
    fn code(&self) -> Code {
        Code::ServiceLoadBalancerMix
    }

    fn check(&self, cx: &mut RuleCx<'_>) {
        let model = cx.model;
        for (id, service) in model.endpoint_services.iter() {
            mixed(cx, id, service);
            empty(cx, id, service, model);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::lines_of;

    const NETWORK: &str = r#"region = "eu-west-1"

vpc "main" { cidr = "10.0.0.0/16" }

subnet "a" {
  vpc  = vpc.main
  az   = "euw1-az1"
  cidr = "10.0.1.0/24"
}

load_balancer "nlb" {
  type    = "network"
  subnets = [subnet.a]
}

load_balancer "gwlb" {
  type    = "gateway"
  subnets = [subnet.a]
}
"#;

    #[test]
    fn network_and_gateway_load_balancers() {
        let hcl = format!(
            r#"{NETWORK}
endpoint_service "mixed" {{
  load_balancers = [
    load_balancer.nlb,
    load_balancer.gwlb,
  ]
}}
"#
        );
        assert_eq!(lines_of("V600", &hcl), [24]);
    }

    #[test]
    fn no_load_balancers() {
        let hcl = format!("{NETWORK}\nendpoint_service \"none\" {{\n  load_balancers = []\n}}\n");
        assert_eq!(lines_of("V600", &hcl), [22]);
    }

    #[test]
    fn one_kind_passes() {
        let hcl = format!(
            "{NETWORK}\nendpoint_service \"api\" {{\n  load_balancers = [load_balancer.nlb]\n}}\n\nendpoint_service \"fw\" {{\n  load_balancers = [load_balancer.gwlb]\n}}\n"
        );
        assert_eq!(lines_of("V600", &hcl), Vec::<usize>::new());
    }

    #[test]
    fn invalid_items_are_not_an_empty_list() {
        let hcl = format!(
            "{NETWORK}\nendpoint_service \"api\" {{\n  load_balancers = [load_balancer.nope]\n}}\n"
        );
        assert_eq!(lines_of("V600", &hcl), Vec::<usize>::new());
    }
}

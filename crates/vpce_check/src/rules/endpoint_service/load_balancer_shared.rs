use std::collections::BTreeMap;

use vpce_diagnostics::{Code, Diagnostic, Span};
use vpce_model::{EndpointService, Id, LoadBalancer};

use super::address;
use crate::{Rule, RuleCx};

/// V608: one `load_balancer` listed in the `load_balancers` of two endpoint services.
///
/// AWS associates a load balancer with one endpoint service only: the PrivateLink guide
/// ("Create an endpoint service", Considerations) says a Network Load Balancer "can be
/// associated with only one endpoint service" while a service may have several load
/// balancers (AWS-FACTS §3.6 S2, §9). The second service fails to create. vpce applies
/// the same to gateway load balancers, which back a service the same way (the guide
/// states the limit for Network Load Balancers; see the rule's page).
///
/// Reported once per later service that reuses a load balancer, at its item in
/// `load_balancers`, with a second label on the first service's item. A load balancer
/// listed twice in one service is not this rule's concern.
///
/// AWS: <https://docs.aws.amazon.com/vpc/latest/privatelink/create-endpoint-service.html>.
pub struct LoadBalancerShared;

impl Rule for LoadBalancerShared {
    fn code(&self) -> Code {
        Code::LoadBalancerShared
    }

    fn check(&self, cx: &mut RuleCx<'_>) {
        let model = cx.model;
        // The first service (in source order) that lists each load balancer.
        let mut first: BTreeMap<Id<LoadBalancer>, (Id<EndpointService>, Span)> = BTreeMap::new();
        for (service_id, service) in model.endpoint_services.iter() {
            for item in &service.load_balancers {
                let (owner, owner_span) =
                    *first.entry(item.value).or_insert((service_id, item.span));
                if owner == service_id {
                    continue;
                }
                let lb = address(model, item.value);
                let (this, other) = (address(model, service_id), address(model, owner));
                cx.report(
                    Diagnostic::new(
                        Code::LoadBalancerShared,
                        format!("`{lb}` is in two endpoint services, `{other}` and `{this}`"),
                    )
                    .with_label(item.span, format!("`{lb}` is also in `{other}`"))
                    .with_label(owner_span, format!("`{other}` uses `{lb}` first"))
                    .with_help(format!(
                        "give `{this}` a load balancer of its own, or serve both from `{other}`"
                    )),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::lines_of;
    use crate::testing::first_of;

    const LBS: &str = r#"region = "eu-west-1"

load_balancer "api" {
  type = "network"
  arn  = "arn:aws:elasticloadbalancing:eu-west-1:111122223333:loadbalancer/net/api/0123456789abcdef"
  azs  = ["euw1-az1", "euw1-az2"]
}

load_balancer "admin" {
  type = "network"
  arn  = "arn:aws:elasticloadbalancing:eu-west-1:111122223333:loadbalancer/net/admin/0123456789abcdef"
  azs  = ["euw1-az1", "euw1-az2"]
}
"#;

    fn services(body: &str) -> String {
        format!("{LBS}{body}")
    }

    #[test]
    fn second_and_third_services_are_reported_at_their_item() {
        let hcl = services(
            r#"
endpoint_service "one" {
  load_balancers = [load_balancer.api]
}

endpoint_service "two" {
  load_balancers = [load_balancer.admin, load_balancer.api]
}

endpoint_service "three" {
  load_balancers = [load_balancer.api]
}
"#,
        );
        assert_eq!(lines_of("V608", &hcl), [20, 24]);
        let d = first_of("V608", &hcl);
        assert_eq!(
            d.message,
            "`load_balancer.api` is in two endpoint services, `endpoint_service.one` and `endpoint_service.two`"
        );
        assert_eq!(d.labels.len(), 2);
    }

    #[test]
    fn distinct_load_balancers_and_repeats_within_one_service_pass() {
        let hcl = services(
            r#"
endpoint_service "one" {
  load_balancers = [load_balancer.api, load_balancer.api]
}

endpoint_service "two" {
  load_balancers = [load_balancer.admin]
}
"#,
        );
        assert_eq!(lines_of("V608", &hcl), Vec::<usize>::new());
    }
}

//! Attributes known only after deployment, as CloudFormation intrinsic functions: each
//! marker in a string (see `vpce_model::deployed`) becomes a `Ref` or `Fn::GetAtt`, and a
//! string with text around it an `Fn::Join`. The splitter then turns references that
//! cross stacks into imports or parameters, as it does for every other reference.

use serde_json::{json, Value};
use vpce_model::{
    deployed::{is_deployed, pieces, DeployedAttr, Piece},
    logical_id::logical_id,
    Id, Kind, Model, ObjRef,
};

/// Rewrites every string of `value` that holds an attribute known after deployment.
pub fn intrinsify(model: &Model, value: &mut Value) {
    match value {
        Value::String(text) if is_deployed(text) => *value = string(model, text),
        Value::Array(items) => items.iter_mut().for_each(|v| intrinsify(model, v)),
        Value::Object(map) => map.values_mut().for_each(|v| intrinsify(model, v)),
        _ => {}
    }
}

/// A string as a CloudFormation value: itself, one attribute, or the join of its pieces.
pub fn string(model: &Model, text: &str) -> Value {
    let mut parts: Vec<Value> = pieces(text)
        .into_iter()
        .map(|piece| match piece {
            Piece::Text(t) => Value::String(t.to_string()),
            Piece::Deployed(obj, attr) => attribute(model, obj, attr),
        })
        .collect();
    if parts.len() == 1 {
        return parts.pop().expect("one part");
    }
    json!({"Fn::Join": ["", parts]})
}

fn attribute(model: &Model, obj: ObjRef, attr: DeployedAttr) -> Value {
    let logical = logical_id(obj.kind, model.name_of(obj));
    match attr {
        // `Ref` gives the id of every kind vpce creates, and a load balancer's ARN.
        DeployedAttr::Id | DeployedAttr::Arn => json!({"Ref": logical}),
        DeployedAttr::DnsNames => {
            json!({"Fn::Join": [",", {"Fn::GetAtt": [logical, "DnsEntries"]}]})
        }
        DeployedAttr::NetworkInterfaceIds => {
            json!({"Fn::Join": [",", {"Fn::GetAtt": [logical, "NetworkInterfaceIds"]}]})
        }
        DeployedAttr::ServiceName => {
            // `com.amazonaws.vpce.REGION.vpce-svc-...`: the service's own region, which a
            // consumer in another region must name.
            let id: Id<vpce_model::EndpointService> = Id::new(obj.index as usize);
            let region = model.endpoint_service_region(id);
            let prefix = region
                .and_then(vpce_data::region)
                .map_or("com.amazonaws.vpce", |r| r.endpoint_service_name_prefix());
            let region = region.map_or_else(|| json!({"Ref": "AWS::Region"}), |r| json!(r));
            debug_assert_eq!(obj.kind, Kind::EndpointService);
            json!({"Fn::Join": [".", [prefix, region, {"Ref": logical}]]})
        }
    }
}

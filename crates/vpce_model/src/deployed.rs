//! Attributes known only after deployment (`vpc.main.id`, `endpoint.x.dns_names`, ...).
//!
//! Such a value is a string in which each attribute stands as a marker between two
//! private-use characters, so it flows through templates, `join`, `format`, `jsonencode`,
//! tags and policies like any string, and every backend finds it where it ends up:
//! the emitter turns it into `Ref` / `Fn::GetAtt` / `Fn::Join`, the plan into simulated
//! values. Where vpce must know the value itself (a CIDR, an AZ, a comparison, a
//! function that reads its text, `for_each`), it is V118 (V116 in `for_each`).
//! The two characters are refused in input, so no configuration can forge a marker.

use crate::{schema::Kind, ObjRef};

/// Opens a marker.
pub const OPEN: char = '\u{E000}';
/// Closes a marker.
pub const CLOSE: char = '\u{E001}';

/// An attribute AWS assigns when it creates the object.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum DeployedAttr {
    /// `KIND.NAME.id`: the object's id (for an endpoint service, `vpce-svc-...`).
    Id,
    /// `load_balancer.NAME.arn`.
    Arn,
    /// `endpoint.NAME.dns_names`: its DNS entries, joined with `,`.
    DnsNames,
    /// `endpoint.NAME.network_interface_ids`, joined with `,`.
    NetworkInterfaceIds,
    /// `endpoint_service.NAME.service_name`: `com.amazonaws.vpce.REGION.vpce-svc-...`.
    ServiceName,
}

impl DeployedAttr {
    /// The attribute `name` of a created object of `kind`, if AWS assigns it.
    pub fn of(kind: Kind, name: &str) -> Option<DeployedAttr> {
        match (kind, name) {
            (Kind::LoadBalancer, "arn") => Some(DeployedAttr::Arn),
            (Kind::LoadBalancer | Kind::RemoteNetwork | Kind::Expect, _) => None,
            (_, "id") => Some(DeployedAttr::Id),
            (Kind::Endpoint, "dns_names") => Some(DeployedAttr::DnsNames),
            (Kind::Endpoint, "network_interface_ids") => Some(DeployedAttr::NetworkInterfaceIds),
            (Kind::EndpointService, "service_name") => Some(DeployedAttr::ServiceName),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            DeployedAttr::Id => "id",
            DeployedAttr::Arn => "arn",
            DeployedAttr::DnsNames => "dns_names",
            DeployedAttr::NetworkInterfaceIds => "network_interface_ids",
            DeployedAttr::ServiceName => "service_name",
        }
    }

    fn from_name(name: &str) -> Option<DeployedAttr> {
        [
            DeployedAttr::Id,
            DeployedAttr::Arn,
            DeployedAttr::DnsNames,
            DeployedAttr::NetworkInterfaceIds,
            DeployedAttr::ServiceName,
        ]
        .into_iter()
        .find(|a| a.name() == name)
    }
}

/// The marker of `obj`'s attribute.
pub fn marker(obj: ObjRef, attr: DeployedAttr) -> String {
    format!(
        "{OPEN}{}:{}:{}{CLOSE}",
        obj.kind.keyword(),
        obj.index,
        attr.name()
    )
}

/// Whether the text holds an attribute known only after deployment.
pub fn is_deployed(text: &str) -> bool {
    text.contains(OPEN)
}

/// Whether the text holds a character reserved for markers (refused in input).
pub fn has_reserved(text: &str) -> bool {
    text.contains([OPEN, CLOSE])
}

/// A piece of a string: text as written, or an attribute known after deployment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Piece<'a> {
    Text(&'a str),
    Deployed(ObjRef, DeployedAttr),
}

/// The pieces of a string, in order; a string without markers is one text piece.
pub fn pieces(text: &str) -> Vec<Piece<'_>> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find(OPEN) {
        let Some(len) = rest[start..].find(CLOSE) else {
            break;
        };
        let inner = &rest[start + OPEN.len_utf8()..start + len];
        let decoded = (|| {
            let mut parts = inner.split(':');
            let kind = Kind::from_keyword(parts.next()?)?;
            let index = parts.next()?.parse().ok()?;
            let attr = DeployedAttr::from_name(parts.next()?)?;
            Some(Piece::Deployed(ObjRef { kind, index }, attr))
        })();
        let Some(piece) = decoded else {
            break;
        };
        if start > 0 {
            out.push(Piece::Text(&rest[..start]));
        }
        out.push(piece);
        rest = &rest[start + len + CLOSE.len_utf8()..];
    }
    if !rest.is_empty() || out.is_empty() {
        out.push(Piece::Text(rest));
    }
    out
}

/// The text with every attribute replaced by what `value` gives for it.
pub fn substitute(text: &str, mut value: impl FnMut(ObjRef, DeployedAttr) -> String) -> String {
    if !is_deployed(text) {
        return text.to_string();
    }
    pieces(text)
        .into_iter()
        .map(|piece| match piece {
            Piece::Text(t) => t.to_string(),
            Piece::Deployed(obj, attr) => value(obj, attr),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_round_trip_through_text() {
        let vpc = ObjRef {
            kind: Kind::Vpc,
            index: 3,
        };
        let endpoint = ObjRef {
            kind: Kind::Endpoint,
            index: 0,
        };
        let text = format!(
            "vpc {} and {}!",
            marker(vpc, DeployedAttr::Id),
            marker(endpoint, DeployedAttr::DnsNames)
        );
        assert!(is_deployed(&text));
        assert_eq!(
            pieces(&text),
            [
                Piece::Text("vpc "),
                Piece::Deployed(vpc, DeployedAttr::Id),
                Piece::Text(" and "),
                Piece::Deployed(endpoint, DeployedAttr::DnsNames),
                Piece::Text("!"),
            ]
        );
        let shown = substitute(&text, |obj, attr| {
            format!("<{}.{}>", obj.index, attr.name())
        });
        assert_eq!(shown, "vpc <3.id> and <0.dns_names>!");
        assert_eq!(pieces("plain"), [Piece::Text("plain")]);
        assert_eq!(pieces(""), [Piece::Text("")]);
    }

    #[test]
    fn only_created_objects_have_deployed_attributes() {
        assert_eq!(DeployedAttr::of(Kind::Vpc, "id"), Some(DeployedAttr::Id));
        assert_eq!(DeployedAttr::of(Kind::LoadBalancer, "id"), None);
        assert_eq!(
            DeployedAttr::of(Kind::LoadBalancer, "arn"),
            Some(DeployedAttr::Arn)
        );
        assert_eq!(DeployedAttr::of(Kind::Subnet, "dns_names"), None);
        assert_eq!(DeployedAttr::of(Kind::RemoteNetwork, "id"), None);
    }
}

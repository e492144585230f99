//! Network helpers shared by rules: strict CIDR parsing and AZ lookups.

use std::net::Ipv4Addr;

use ipnet::{IpNet, Ipv4Net, Ipv6Net};
use vpce_model::{Id, Model, Subnet};

/// An IPv4 CIDR with no host bits set, or `None` (V200 reports the text).
pub fn parse_cidr(text: &str) -> Option<Ipv4Net> {
    let net: Ipv4Net = text.trim().parse().ok()?;
    (net.trunc() == net && text.trim() == text).then_some(net)
}

/// An IPv6 CIDR with no host bits set.
pub fn parse_cidr_v6(text: &str) -> Option<Ipv6Net> {
    let net: Ipv6Net = text.trim().parse().ok()?;
    (net.trunc() == net).then_some(net)
}

/// The AZ id of a subnet (`euw1-az1`), resolving an AZ name through the built-in table
/// when needed, and the region it belongs to.
pub fn subnet_az(model: &Model, subnet: Id<Subnet>) -> Option<Az> {
    let az = model.subnets[subnet].az.as_ref()?;
    az_of(&az.value)
}

/// An AZ as written, resolved against the built-in table.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Az {
    /// The AZ id; for names this is the id the built-in table maps it to, which can
    /// differ per account (V205).
    pub id: String,
    pub region: String,
    pub by_name: bool,
}

pub fn az_of(text: &str) -> Option<Az> {
    if let Some(region) = vpce_data::region_of_az_id(text) {
        return Some(Az {
            id: text.to_string(),
            region: region.code.clone(),
            by_name: false,
        });
    }
    let region = vpce_data::region_of_az_name(text)?;
    let az = region.azs.iter().find(|az| az.name == text)?;
    Some(Az {
        id: az.id.clone(),
        region: region.code.clone(),
        by_name: true,
    })
}

/// Usable addresses of a subnet: its size less the five AWS reserves.
pub fn usable_addresses(net: Ipv4Net) -> u64 {
    (1u64 << (32 - net.prefix_len())).saturating_sub(5)
}

/// A route destination, IPv4 or IPv6, normalised so that equal blocks compare equal
/// (`2001:db8::/32` and `2001:0db8::/32`); `None` when it does not parse (V200).
pub fn parse_destination(text: &str) -> Option<IpNet> {
    if text.contains(':') {
        parse_cidr_v6(text).map(IpNet::V6)
    } else {
        parse_cidr(text).map(IpNet::V4)
    }
}

/// What AWS reserves an address of a subnet for, if it does: the first four and the
/// last address of every subnet (AWS-FACTS §3.2 C1b).
pub fn reserved_use(net: Ipv4Net, ip: Ipv4Addr) -> Option<&'static str> {
    if !net.contains(&ip) {
        return None;
    }
    if ip == net.broadcast() {
        return Some("the broadcast address, reserved by AWS");
    }
    match u32::from(ip) - u32::from(net.network()) {
        0 => Some("the network address, reserved by AWS"),
        1 => Some("reserved by AWS for the VPC router"),
        2 => Some("reserved by AWS for the Amazon DNS server"),
        3 => Some("reserved by AWS for future use"),
        _ => None,
    }
}

/// The first address of a subnet that AWS does not reserve: the network address + 4.
pub fn first_usable(net: Ipv4Net) -> Ipv4Addr {
    Ipv4Addr::from(u32::from(net.network()).saturating_add(4))
}

/// Test support: the code and the 1-based line of each diagnostic's primary label,
/// in output order.
#[cfg(test)]
pub(crate) fn codes_and_lines(hcl: &str) -> Vec<(&'static str, usize)> {
    let outcome = vpce_driver::check_text(hcl);
    outcome
        .diagnostics
        .iter()
        .map(|d| {
            let line = d
                .primary_span()
                .map_or(0, |span| outcome.sources.line_col(span).line);
            (d.code.as_str(), line)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cidrs_must_have_no_host_bits() {
        assert!(parse_cidr("10.0.0.0/16").is_some());
        assert!(parse_cidr("10.0.0.1/16").is_none());
        assert!(parse_cidr("10.0.0.0").is_none());
        assert!(parse_cidr("300.0.0.0/8").is_none());
    }

    #[test]
    fn az_ids_and_names_resolve() {
        let id = az_of("euw1-az1").unwrap();
        assert_eq!((id.region.as_str(), id.by_name), ("eu-west-1", false));
        let name = az_of("eu-west-1a").unwrap();
        assert_eq!((name.region.as_str(), name.by_name), ("eu-west-1", true));
        assert!(az_of("euw1-az9").is_none());
    }

    #[test]
    fn five_addresses_are_reserved() {
        assert_eq!(usable_addresses("10.0.0.0/28".parse().unwrap()), 11);
        assert_eq!(usable_addresses("10.0.0.0/24".parse().unwrap()), 251);
    }
}

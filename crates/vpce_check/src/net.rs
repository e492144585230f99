//! Network helpers shared by rules: strict CIDR parsing and AZ lookups.

use ipnet::{Ipv4Net, Ipv6Net};
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

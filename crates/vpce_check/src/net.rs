//! Network helpers shared by rules: AWS's reserved addresses and AZ lookups (the model
//! parses CIDRs and resolves zones once: `vpce_model::net`).

use std::net::Ipv4Addr;

use ipnet::Ipv4Net;
pub use vpce_model::net::Az;
use vpce_model::{Id, Model, Subnet};

/// The AZ of a subnet, as the model resolved it.
pub fn subnet_az(model: &Model, subnet: Id<Subnet>) -> Option<&Az> {
    model.subnets[subnet].az.as_ref()?.value.az.as_ref()
}

/// Usable addresses of a subnet: its size less the five AWS reserves.
pub fn usable_addresses(net: Ipv4Net) -> u64 {
    (1u64 << (32 - net.prefix_len())).saturating_sub(5)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn five_addresses_are_reserved() {
        assert_eq!(usable_addresses("10.0.0.0/28".parse().unwrap()), 11);
        assert_eq!(usable_addresses("10.0.0.0/24".parse().unwrap()), 251);
    }
}

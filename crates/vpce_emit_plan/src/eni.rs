//! Private addresses of network interfaces: per subnet, the first free address from the
//! network address + 4 (AWS reserves the first four and the last address of every
//! subnet), never the last one, never one taken already. Explicit addresses (a NAT
//! gateway's `private_ip`) and addresses of interfaces that survive a change are
//! reserved first; the rest are handed out in request order, so the result is
//! deterministic and no two interfaces collide.

use std::{
    collections::{BTreeSet, HashMap},
    net::Ipv4Addr,
};

use ipnet::Ipv4Net;
use vpce_model::{Id, Model, Subnet};

/// One network interface to place.
#[derive(Clone, Debug)]
pub struct Request {
    /// The resource it belongs to (an index; only carried through).
    pub resource: usize,
    pub subnet: Id<Subnet>,
    /// An address the configuration gives (a NAT gateway's `private_ip`).
    pub explicit: Option<Ipv4Addr>,
    /// The address the interface had before, when it survives the change.
    pub carried: Option<Ipv4Addr>,
}

struct Pool {
    /// First and last usable addresses, as integers.
    first: u32,
    last: u32,
    taken: BTreeSet<u32>,
    cursor: u32,
}

impl Pool {
    fn new(net: Ipv4Net) -> Option<Pool> {
        let network = u32::from(net.network());
        let broadcast = u32::from(net.broadcast());
        let first = network.checked_add(4)?;
        let last = broadcast.checked_sub(1)?;
        (first <= last).then(|| Pool {
            first,
            last,
            taken: BTreeSet::new(),
            cursor: first,
        })
    }

    /// Reserves `address` if it is usable and free.
    fn reserve(&mut self, address: Ipv4Addr) -> bool {
        let value = u32::from(address);
        (self.first..=self.last).contains(&value) && self.taken.insert(value)
    }

    /// The first free address, or `None` when the subnet is full.
    fn next(&mut self) -> Option<Ipv4Addr> {
        while self.cursor <= self.last {
            let candidate = self.cursor;
            self.cursor += 1;
            if self.taken.insert(candidate) {
                return Some(Ipv4Addr::from(candidate));
            }
        }
        None
    }
}

fn pool<'p>(
    pools: &'p mut HashMap<Id<Subnet>, Option<Pool>>,
    model: &Model,
    subnet: Id<Subnet>,
) -> Option<&'p mut Pool> {
    pools
        .entry(subnet)
        .or_insert_with(|| {
            model.subnets[subnet]
                .cidr
                .as_ref()
                .and_then(|c| c.value.v4())
                .and_then(Pool::new)
        })
        .as_mut()
}

/// The address of each request, in order (`None`: no IPv4 block or no free address).
/// `blocked` addresses are held by interfaces that are still there while the new ones
/// are created (those of replaced and deleted resources: CloudFormation creates before
/// it deletes), so nothing new takes them.
pub fn allocate(
    model: &Model,
    requests: &[Request],
    blocked: &[(Id<Subnet>, Ipv4Addr)],
) -> Vec<Option<Ipv4Addr>> {
    let mut pools: HashMap<Id<Subnet>, Option<Pool>> = HashMap::new();
    let mut out: Vec<Option<Ipv4Addr>> = vec![None; requests.len()];
    // Explicit addresses first: the configuration asks for them.
    for (i, request) in requests.iter().enumerate() {
        if let Some(address) = request.explicit {
            if let Some(pool) = pool(&mut pools, model, request.subnet) {
                pool.reserve(address);
            }
            out[i] = Some(address);
        }
    }
    for &(subnet, address) in blocked {
        if let Some(pool) = pool(&mut pools, model, subnet) {
            pool.reserve(address);
        }
    }
    // Then the addresses of interfaces that survive the change, when still valid.
    for (i, request) in requests.iter().enumerate() {
        if out[i].is_some() {
            continue;
        }
        if let (Some(address), Some(pool)) =
            (request.carried, pool(&mut pools, model, request.subnet))
        {
            if pool.reserve(address) {
                out[i] = Some(address);
            }
        }
    }
    // Everything else: the first free address, in request order.
    for (i, request) in requests.iter().enumerate() {
        if out[i].is_some() || request.explicit.is_some() {
            continue;
        }
        out[i] = pool(&mut pools, model, request.subnet).and_then(Pool::next);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pool_of(cidr: &str) -> Pool {
        Pool::new(cidr.parse().unwrap()).unwrap()
    }

    #[test]
    fn the_first_four_and_the_last_address_are_reserved() {
        let mut pool = pool_of("10.0.1.0/28");
        let all: Vec<String> = std::iter::from_fn(|| pool.next())
            .map(|a| a.to_string())
            .collect();
        assert_eq!(all.first().unwrap(), "10.0.1.4");
        assert_eq!(all.last().unwrap(), "10.0.1.14");
        assert_eq!(all.len(), 11);
        assert!(Pool::new("10.0.0.0/30".parse().unwrap()).is_none());
    }

    #[test]
    fn reserved_addresses_are_skipped() {
        let mut pool = pool_of("10.0.1.0/24");
        assert!(pool.reserve("10.0.1.5".parse().unwrap()));
        assert!(!pool.reserve("10.0.1.5".parse().unwrap()), "taken twice");
        assert!(!pool.reserve("10.0.1.2".parse().unwrap()), "AWS-reserved");
        assert!(!pool.reserve("10.0.1.255".parse().unwrap()), "broadcast");
        assert!(!pool.reserve("10.0.2.9".parse().unwrap()), "outside");
        let next: Vec<String> = (0..3).map(|_| pool.next().unwrap().to_string()).collect();
        assert_eq!(next, ["10.0.1.4", "10.0.1.6", "10.0.1.7"]);
    }
}

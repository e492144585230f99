//! Simulated ids: AWS's prefix for the resource type followed by 17 lowercase hex digits
//! from a stable hash (FNV-1a, 128 bits) of the account, the region and the resource's
//! address. No randomness and no clock: the same configuration always gets the same
//! ids. A replaced resource gets a new id (its generation is part of the hash), as AWS
//! gives a replacement a new one.

/// FNV-1a over the parts, with a separator byte that cannot occur in UTF-8 between them.
pub fn fnv1a_128(parts: &[&str]) -> u128 {
    const OFFSET: u128 = 0x6c62_272e_07bb_0142_62b8_2175_6295_c58d;
    const PRIME: u128 = 0x0000_0000_0100_0000_0000_0000_0000_013b;
    let mut hash = OFFSET;
    for (index, part) in parts.iter().enumerate() {
        if index > 0 {
            hash ^= 0xff;
            hash = hash.wrapping_mul(PRIME);
        }
        for byte in part.bytes() {
            hash ^= u128::from(byte);
            hash = hash.wrapping_mul(PRIME);
        }
    }
    hash
}

/// FNV-1a with a final mix, so that names differing in one letter (`app_a`, `app_b`)
/// get ids that differ everywhere, not only in their last digits.
fn mixed(parts: &[&str]) -> u128 {
    let mut x = fnv1a_128(parts);
    x ^= x >> 67;
    x = x.wrapping_mul(0x9e37_79b9_7f4a_7c15_f39c_c060_5ced_c835);
    x ^= x >> 59;
    x = x.wrapping_mul(0xc2b2_ae3d_27d4_eb4f_1656_67b1_9e37_79f9);
    x ^ (x >> 64)
}

/// `digits` lowercase hex digits of the hash of `parts` (at most 32).
pub fn hex(parts: &[&str], digits: usize) -> String {
    let text = format!("{:032x}", mixed(parts));
    text[32 - digits.min(32)..].to_string()
}

/// Eight lowercase letters and digits, as in the DNS names AWS gives endpoints.
pub fn base36(parts: &[&str], length: usize) -> String {
    const ALPHABET: &[u8; 36] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    let mut value = mixed(parts);
    (0..length)
        .map(|_| {
            let c = ALPHABET[(value % 36) as usize] as char;
            value /= 36;
            c
        })
        .collect()
}

/// AWS's id prefix for a resource type, for types whose id is `PREFIX-` + hex.
pub fn prefix(resource_type: &str) -> Option<&'static str> {
    Some(match resource_type {
        "AWS::EC2::VPC" => "vpc",
        "AWS::EC2::VPCCidrBlock" => "vpc-cidr-assoc",
        "AWS::EC2::Subnet" => "subnet",
        "AWS::EC2::RouteTable" => "rtb",
        "AWS::EC2::SubnetRouteTableAssociation" => "rtbassoc",
        "AWS::EC2::GatewayRouteTableAssociation" => "rtbassoc",
        "AWS::EC2::InternetGateway" => "igw",
        "AWS::EC2::NatGateway" => "nat",
        "AWS::EC2::EIP" => "eipalloc",
        "AWS::EC2::SecurityGroup" => "sg",
        "AWS::EC2::SecurityGroupIngress" => "sgr",
        "AWS::EC2::VPCEndpoint" => "vpce",
        "AWS::EC2::VPCEndpointService" => "vpce-svc",
        _ => return None,
    })
}

/// What a hash is keyed on: who owns the resource, where, and which incarnation.
#[derive(Copy, Clone, Debug)]
pub struct Key<'a> {
    pub account: &'a str,
    pub region: &'a str,
    pub address: &'a str,
    pub generation: u32,
}

impl Key<'_> {
    /// The hash input, with `extra` parts (e.g. the subnet of a network interface).
    pub fn hex(&self, extra: &[&str], digits: usize) -> String {
        let generation = self.generation.to_string();
        let mut parts = vec![self.account, self.region, self.address];
        if self.generation > 0 {
            parts.push(&generation);
        }
        parts.extend_from_slice(extra);
        hex(&parts, digits)
    }

    /// `vpce-` + 17 hex digits.
    pub fn id(&self, prefix: &str) -> String {
        format!("{prefix}-{}", self.hex(&[], 17))
    }

    /// The id of the resource's network interface in the subnet `subnet` (an address).
    pub fn network_interface_id(&self, subnet: &str) -> String {
        format!("eni-{}", self.hex(&["eni", subnet], 17))
    }
}

/// The id of the prefix list of an AWS service (its short name) in `region`.
pub fn prefix_list_id(region: &str, service: &str) -> String {
    format!("pl-{}", hex(&["prefix-list", region, service], 8))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv_matches_the_reference_vectors() {
        // FNV-1a 128 of "" is the offset basis; of "a", the published test vector.
        assert_eq!(fnv1a_128(&[""]), 0x6c62_272e_07bb_0142_62b8_2175_6295_c58d);
        assert_eq!(fnv1a_128(&["a"]), 0xd228_cb69_6f1a_8caf_7891_2b70_4e4a_8964);
    }

    #[test]
    fn ids_are_stable_distinct_and_well_formed() {
        let key = Key {
            account: "000000000000",
            region: "eu-west-1",
            address: "endpoint.s3",
            generation: 0,
        };
        let id = key.id("vpce");
        assert_eq!(id, key.id("vpce"));
        assert_eq!(id.len(), "vpce-".len() + 17);
        assert!(id[5..]
            .chars()
            .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase()));
        let other = Key {
            address: "endpoint.s4",
            ..key
        };
        assert_ne!(id, other.id("vpce"));
        let replaced = Key {
            generation: 1,
            ..key
        };
        assert_ne!(id, replaced.id("vpce"));
        // The parts are separated: ("ab", "c") is not ("a", "bc").
        assert_ne!(hex(&["ab", "c"], 17), hex(&["a", "bc"], 17));
        let suffix = base36(&["x"], 8);
        assert_eq!(suffix.len(), 8);
        assert!(suffix
            .chars()
            .all(|c| c.is_ascii_digit() || c.is_ascii_lowercase()));
    }
}

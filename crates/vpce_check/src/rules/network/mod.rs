//! Network rules (V2xx): addresses, zones, routes and capacity.

mod cidr_size;
mod invalid_cidr;
mod subnet_outside_vpc;
mod subnet_overlap;

pub use cidr_size::CidrSize;
pub use invalid_cidr::InvalidCidr;
pub use subnet_outside_vpc::SubnetOutsideVpc;
pub use subnet_overlap::SubnetOverlap;

//! gwlb rules.

mod gwlb_cross_az;
mod gwlb_invalid_attribute;
mod gwlb_one_subnet;
mod gwlb_routing_loop;
mod gwlb_same_subnet;
mod gwlb_service_type;
mod route_target_not_gwlb;

pub use gwlb_cross_az::GwlbCrossAz;
pub use gwlb_invalid_attribute::GwlbInvalidAttribute;
pub use gwlb_one_subnet::GwlbOneSubnet;
pub use gwlb_routing_loop::GwlbRoutingLoop;
pub use gwlb_same_subnet::GwlbSameSubnet;
pub use gwlb_service_type::GwlbServiceType;
pub use route_target_not_gwlb::RouteTargetNotGwlb;

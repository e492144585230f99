//! Language rules that need the resolved model (the front end reports the others).

mod invalid_name;
mod invalid_region;
mod logical_id_collision;
mod resource_too_large;

pub use invalid_name::InvalidName;
pub use invalid_region::InvalidRegion;
pub use logical_id_collision::LogicalIdCollision;
pub use resource_too_large::ResourceTooLarge;

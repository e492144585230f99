pub mod availability;
pub mod endpoint_service;
pub mod gateway;
pub mod gwlb;
pub mod interface;
pub mod language;
pub mod network;
pub mod policy;

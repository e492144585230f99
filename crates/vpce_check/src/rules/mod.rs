pub mod language;
pub mod network;

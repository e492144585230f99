pub mod apply;
pub mod build;
pub mod check;
pub mod explain;
pub mod plan;
pub mod unlock;

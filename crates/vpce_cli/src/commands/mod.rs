pub mod apply;
pub mod build;
pub mod check;
pub mod completions;
pub mod explain;
pub mod graph;
pub mod plan;
pub mod unlock;

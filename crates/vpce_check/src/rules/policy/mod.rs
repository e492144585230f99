//! policy rules.

mod policy_foreign_action;
mod policy_full_access;
mod policy_invalid;
mod policy_statement_invalid;
mod policy_too_large;
mod policy_unsupported;

pub use policy_foreign_action::PolicyForeignAction;
pub use policy_full_access::PolicyFullAccess;
pub use policy_invalid::PolicyInvalid;
pub use policy_statement_invalid::PolicyStatementInvalid;
pub use policy_too_large::PolicyTooLarge;
pub use policy_unsupported::PolicyUnsupported;

//! People: professional names, email addresses, passwords, roles and who may sign up.

mod email;
pub(crate) mod names;
pub mod network;
mod password;
pub mod profile;
mod roles;
pub mod second_factor;
mod signup;

pub use email::{Email, parse_email};
pub use names::{PersonName, parse_name_part, parse_person_name, word_filter_objects};
pub use password::{MAX_PASSWORD_CHARS, MIN_PASSWORD_CHARS, check_new_password};
pub use roles::{Role, RoleSet};
pub use signup::{SignupMode, SignupPolicy, SignupRefusal};

//! People: the first administrator, sign-up, sign-in and sessions, API tokens, invitations,
//! roles. The faces authenticate through [`Viewer`]s built here.

mod accounts;
mod admin;
mod audit;
mod cache;
mod directory;
mod limits;
mod network;
mod oidc;
mod profiles;
mod second_factor;
mod sessions;
mod tokens;

pub use accounts::{NewPerson, Profile};
pub use admin::{InvitationLink, PEOPLE_PAGE_SIZE, PersonSummary};
pub use audit::{AUDIT_PAGE, AuditEntry};
pub use cache::ViewerCache;
pub use directory::{
    DIRECTORY_TOKEN_PREFIX, Directory, DirectoryGroup, DirectoryGroupRow, DirectoryInfo,
    DirectoryUserRow, GroupMemberRow, NewDirectoryToken, ProvisionedGroup, ProvisionedUser,
};
pub use limits::LoginLimits;
pub(crate) use network::before_cursor;
pub use network::{
    EndorsementPage, EndorsementView, Knower, KnowersPage, NETWORK_PAGE, NetworkSummary,
    PeoplePage, PersonLink, SkillEndorsements,
};
pub use oidc::{LinkedSignIn, SsoButton, SsoCallback, SsoMetadataCache, SsoSignedIn, SsoStart};
pub(crate) use profiles::photo_url;
pub use profiles::{
    DIRECTORY_PAGE, DirectoryEntry, DirectoryPage, DirectoryQuery, NameChange, NameRequestView,
    ProfileInput, ProfileView,
};
pub use second_factor::{Enrolment, SecondFactorStatus};
pub use sessions::{SessionInfo, SignInStep, SignedIn};
pub use tokens::{ApiTokenInfo, NewApiToken, parse_scopes};

use crate::{AppError, AppResult};
use chrono::{DateTime, Utc};
use guildhall_domain::people::{Role, RoleSet};
use guildhall_store::Tx;
use guildhall_store::search::{self, DocKind, SearchDoc};

/// A person's entry in search, written whenever their name is (sign-up, provisioning, an
/// approved name request, a name changed at the identity provider).
pub(crate) async fn index_person(
    tx: &mut Tx,
    user_id: i64,
    display_name: &str,
    at: DateTime<Utc>,
) -> AppResult<()> {
    let doc = SearchDoc {
        kind: DocKind::Person,
        id: user_id,
        title: display_name,
        body: "",
        space_id: None,
        thread_id: None,
        author_id: Some(user_id),
        thread_kind: None,
        created_at: at,
    };
    Ok(search::index(tx, &doc).await?)
}

/// How the current request proved who it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Credential {
    Session {
        id: i64,
    },
    ApiToken {
        id: i64,
        can_write: bool,
    },
    /// The operator at the command line (demo data, imports): acts as the person, no session.
    CommandLine,
    /// A person on another platform, whose words a connector carried here (a fediverse server,
    /// a Matrix room, a webhook): they never signed in and never saw the code of conduct, so
    /// what they write is held to the content check and moderators can block them.
    Remote,
    /// A reply by email: a signed reply address, sent from the person's own address.
    Email,
}

/// The signed-in person making a request.
#[derive(Debug, Clone)]
pub struct Viewer {
    pub id: i64,
    pub email: String,
    pub given_name: String,
    pub display_name: String,
    pub roles: RoleSet,
    /// Roles held but not in force: administrator and HR wait for a second factor.
    pub dormant_roles: RoleSet,
    pub credential: Credential,
}

impl Viewer {
    pub fn has(&self, role: Role) -> bool {
        self.roles.contains(role)
    }

    /// Defence in depth: the web extractors already refused anyone without the role.
    pub fn require(&self, role: Role) -> AppResult<()> {
        if self.has(role) {
            Ok(())
        } else {
            Err(AppError::forbidden(
                "role_required",
                format!("This needs the {} role.", role.label()),
            ))
        }
    }

    /// Holds a role (administrator, HR) that only works after a second factor.
    pub fn needs_second_factor(&self) -> bool {
        [Role::Admin, Role::Hr]
            .into_iter()
            .any(|r| self.roles.contains(r) || self.dormant_roles.contains(r))
    }

    pub fn can_write(&self) -> bool {
        match self.credential {
            Credential::Session { .. }
            | Credential::CommandLine
            | Credential::Remote
            | Credential::Email => true,
            Credential::ApiToken { can_write, .. } => can_write,
        }
    }
}

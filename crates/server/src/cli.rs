//! The command line: `guildhall` serves; subcommands migrate, configure, back up and administer.

use clap::{Parser, Subcommand};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "guildhall",
    version,
    about = "Guildhall — a social learning community for organisations"
)]
pub struct Cli {
    /// Configuration file (optional; `guildhall.toml` in the working directory is read when present).
    #[arg(long, global = true, env = "GUILDHALL_CONFIG")]
    pub config: Option<PathBuf>,

    /// Fill a realistic demo organisation before serving (only into an empty database).
    #[arg(long)]
    pub demo: bool,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the web application (the default).
    Serve,
    /// Apply database migrations and exit.
    Migrate,
    /// Print the documented default configuration.
    Config,
    /// Fill a realistic demo organisation into an empty database, then exit.
    Demo {
        /// Instead, generate large data for benchmarks (bulk writes, with progress).
        #[arg(long)]
        scale: bool,
        /// With --scale: how many members.
        #[arg(long, default_value_t = 100_000)]
        members: usize,
        /// With --scale: how many spaces.
        #[arg(long, default_value_t = 2_000)]
        spaces: usize,
        /// With --scale: how many posts.
        #[arg(long, default_value_t = 1_000_000)]
        posts: usize,
    },
    /// Administer people.
    Admin {
        #[command(subcommand)]
        command: AdminCommand,
    },
    /// Manage API tokens.
    Token {
        #[command(subcommand)]
        command: TokenCommand,
    },
    /// Directory provisioning (SCIM 2.0) at /scim/v2.
    Scim {
        #[command(subcommand)]
        command: ScimCommand,
    },
    /// Keeping the community's rules.
    Moderation {
        #[command(subcommand)]
        command: ModerationCommand,
    },
    /// Print the Matrix application service registration (YAML) for the homeserver.
    MatrixRegistration,
    /// Back up the SQLite database to FILE (a consistent copy, safe while serving).
    Backup { file: PathBuf },
    /// Restore the SQLite database from FILE (stop the server first).
    Restore { file: PathBuf },
}

#[derive(Debug, Subcommand)]
pub enum AdminCommand {
    /// Create an administrator. The password is read from GUILDHALL_ADMIN_PASSWORD or standard input.
    Create {
        #[arg(long)]
        email: String,
        #[arg(long)]
        given_name: String,
        #[arg(long)]
        family_name: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum ModerationCommand {
    /// Read texts from standard input, one per line, and print one JSON verdict per line, with
    /// the organisation's word and link rules applied (for testing rules in bulk).
    Check,
    /// Print the texts moderators approved after their authors said "this was not rude", as
    /// corpus lines (`clean<TAB>disputed<TAB>text`) to add to the check's training part.
    Disputes,
}

#[derive(Debug, Subcommand)]
pub enum ScimCommand {
    /// Create a directory with its bearer token and print the token (shown once).
    #[command(name = "token")]
    Token {
        #[command(subcommand)]
        command: ScimTokenCommand,
    },
}

#[derive(Debug, Subcommand)]
pub enum ScimTokenCommand {
    /// Create a directory and print its token.
    Create {
        /// The directory's name, e.g. "Entra ID".
        #[arg(long)]
        name: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Create a personal access token for a person and print it.
    Create {
        #[arg(long)]
        email: String,
        #[arg(long, default_value = "cli")]
        name: String,
        /// Comma-separated: read, write.
        #[arg(long, default_value = "read")]
        scopes: String,
    },
}
